/**
 * `channel-keeper report`: the weekly report of one workspace, as the scheduler posts it to Slack
 * (the same text, without Slack's formatting), and its chart written as a PNG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_VARIABLES } from '../config';
import { ValidationError } from '../errors';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { AS_OF_FORMAT, instantFor, parseAsOf } from './check';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';

/** Refuses a chart path that cannot be written before the report is computed. */
export function checkPngPath(file: string): string {
  const target = path.resolve(file);
  if (!file.trim()) throw new ValidationError('--png needs a file name, e.g. --png report.png');
  const folder = path.dirname(target);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new ValidationError(`--png ${file}: the folder ${folder} does not exist`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory())
    throw new ValidationError(`--png ${file} is a folder; give a file name, e.g. ${path.join(file, 'report.png')}`);
  return target;
}

export const reportCommand = defineCommand({
  name: 'report',
  summary: "print a workspace's weekly report and write its deadline chart as a PNG",
  description:
    'Print the weekly report the scheduler posts to the alert channel: health and its change since a week ago, what happened during the week, what is overdue, the deadlines of the next 30 days and who holds the most channels at risk. Lists show their counts and first items, then "and N more"; --all prints every item. --png writes the chart of deadlines per week for the next 12 weeks. Reads only; nothing is posted.',
  examples: [
    'report --workspace T0123ABCD',
    'report --workspace T0123ABCD --png report.png',
    'report --workspace T0123ABCD --all',
    'report --workspace T0123ABCD --at 2027-01-04 --png docs/report.png',
  ],
  configure: (command) =>
    command
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--all', 'list every channel, deadline and person, not only the first ones')
      .option('--png <file>', 'write the chart (960×540 PNG) to this file')
      .option('--at <ISO date>', `report as of this moment (${AS_OF_FORMAT}); a date means that day at the report time`),
  async action({ opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const asOf = typeof opts.at === 'string' ? parseAsOf(opts.at) : null;
    const png = typeof opts.png === 'string' ? checkPngPath(opts.png) : null;
    const config = commandConfig(DATABASE_VARIABLES);
    // The report's rules and the chart's renderer are loaded when it runs, not for `--help` (start-up).
    const [{ weeklyReport }, { reportLines }, { deadlineChartPng }] = await Promise.all([
      import('../services/weekly-report'),
      import('../rules/weekly-report'),
      import('../chart/deadline-chart'),
    ]);
    const { report } = await withStore(config, async (store) => {
      const workspace = await store.workspaces.findById(workspaceId);
      const at = asOf && workspace ? instantFor(asOf, { timeZone: workspace.timeZone, checkTime: workspace.reportTime ?? workspace.checkTime }) : new Date();
      return weeklyReport({ store, now: () => at }, workspaceId);
    });
    io.out(reportLines(report, undefined, { all: opts.all === true }).join('\n'));
    if (png) {
      fs.writeFileSync(png, deadlineChartPng(report));
      io.err(`chart written to ${png}`);
    }
    return 0;
  },
});

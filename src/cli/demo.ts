import fs from 'node:fs';
import { ValidationError } from '../errors';
import { defineCommand } from './command';
import { checkPngPath } from './report';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'sample channels checked and printed (no Slack needed)',
  description:
    'A throwaway SQLite database with sample channels in every state, checked and printed as they read in Slack, then deleted. --report: the same channels live through a week and the weekly report is printed instead (--png writes its chart).',
  examples: ['demo', 'demo --report --png docs/weekly-report.png'],
  configure: (command) =>
    command
      .option('--report', 'print the weekly report of a sample week instead of the warnings')
      .option('--png <file>', "with --report: write the report's chart (960×540 PNG) to this file"),
  async action({ opts, io }) {
    const png = typeof opts.png === 'string' ? checkPngPath(opts.png) : null;
    if (opts.report !== true) {
      if (png) throw new ValidationError('--png goes with --report (the chart is the weekly report’s)');
      // The database and the rules are loaded when the demo runs, not for `--help` (start-up).
      const { runDemo } = await import('../demo/run-demo');
      const { text } = await runDemo(new Date());
      io.out(text);
      return 0;
    }
    const { runDemoReport } = await import('../demo/demo-report');
    const { text, png: chart } = await runDemoReport(new Date());
    io.out(text);
    if (png) {
      fs.writeFileSync(png, chart);
      io.err(`chart written to ${png}`);
    }
    return 0;
  },
});

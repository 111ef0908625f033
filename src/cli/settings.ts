import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { validateCheckTime, validatePolicyOverrides, validateTimeZone, type FieldError } from '../checks';
import { loadConfig } from '../config';
import { isChannelId } from '../domain';
import { ValidationError } from '../errors';
import { openStore } from '../store/store';
import { withMigratedDatabase } from '../store/unmigrated';
import type { WorkspaceSettings } from '../store';
import { CLI_ACTOR } from '../services/permissions';
import { changeSettings } from '../services/workspace';
import { CliCommand } from './command';

const USAGE = 'settings --workspace <id> [--time-zone <IANA zone>] [--check-time HH:mm] [--alert-channel <C…>] [--policy <JSON | @file.json>]';

/**
 * `channel-keeper settings`: shows or changes a workspace's settings from the command line, the
 * per-network policy numbers included (the Slack settings form only edits the ladder). Every value
 * goes through the same validators as the form; nothing is written unless all are valid.
 */
export const settingsCommand: CliCommand = {
  name: 'settings',
  usage: USAGE,
  summary: "show or change a workspace's time zone, check time, alert channel and rule numbers",
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        workspace: { type: 'string' },
        'time-zone': { type: 'string' },
        'check-time': { type: 'string' },
        'alert-channel': { type: 'string' },
        policy: { type: 'string' },
      },
      strict: true,
    });
    if (!values.workspace) throw new ValidationError(`--workspace is required: channel-keeper ${USAGE}`);
    const changes: WorkspaceSettings = {};
    const problems: FieldError[] = [];
    if (values['time-zone'] !== undefined) collect(validateTimeZone(values['time-zone']), (v) => (changes.timeZone = v), problems);
    if (values['check-time'] !== undefined) collect(validateCheckTime(values['check-time']), (v) => (changes.checkTime = v), problems);
    if (values['alert-channel'] !== undefined) {
      if (isChannelId(values['alert-channel'])) changes.alertChannel = values['alert-channel'];
      else problems.push({ field: 'alertChannel', message: `must be a channel id such as C0123456789 (not a #name); got "${values['alert-channel']}"` });
    }
    if (values.policy !== undefined) collect(validatePolicyOverrides(readPolicy(values.policy)), (v) => (changes.policyOverrides = v), problems);
    if (problems.length) {
      throw new ValidationError(`nothing was changed:\n${problems.map((p) => `  ${p.field}: ${p.message}`).join('\n')}`);
    }
    const { database } = loadConfig();
    const store = openStore(database);
    try {
      const workspace = await withMigratedDatabase(database, async () => {
        const current = await store.workspaces.getById(values.workspace!);
        if (!Object.keys(changes).length) return current;
        // The same use case as the Slack settings form: audited, failed deliveries retried. This
        // process runs no scheduler to reschedule; a running `serve` picks the change up itself.
        const saved = await changeSettings({ store, now: () => new Date() }, { workspace: current, actor: CLI_ACTOR }, changes);
        return saved.workspace;
      });
      const { id, timeZone, checkTime, alertChannel, policyOverrides, outages } = workspace;
      io.out(JSON.stringify({ workspace: id, timeZone, checkTime, alertChannel, policyOverrides, outages }, null, 2));
      if (Object.keys(changes).length) io.err(`saved; a running \`serve\` picks up a new time zone or check time at its next settings refresh or restart`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

function collect<T>(result: { ok: true; value: T } | { ok: false; errors: FieldError[] }, apply: (value: T) => void, problems: FieldError[]): void {
  if (result.ok) apply(result.value);
  else problems.push(...result.errors);
}

/** JSON given inline, or `@path` to a file. */
function readPolicy(text: string): unknown {
  const source = text.startsWith('@') ? readFile(text.slice(1)) : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw new ValidationError(`--policy is not valid JSON (${(error as Error).message}); e.g. '{"networks":{"linkedin":{"expiryLadder":[21,7,1]}}}'`);
  }
}

function readFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ValidationError(`--policy @${file}: no such file`);
  }
}

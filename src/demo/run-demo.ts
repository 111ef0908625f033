/**
 * `channel-keeper demo`: a throwaway SQLite database with sample channels in every state, a
 * dry-run check over them, and each planned warning printed the way it reads in Slack. Needs no
 * Slack credentials and leaves nothing behind.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderWarningText } from '../bot/blocks/warning-message';
import { mergeByAction } from '../outbox/merge-items';
import { todayIn } from '../rules/calendar';
import type { Connection } from '../domain';
import { count } from '../words';
import { runCheck, type CheckSummary } from '../runs/check-run';
import { writeAdded } from '../services/channels';
import { parseDatabaseUrl } from '../store/database-url';
import { migrate } from '../store/migrate';
import { openStore } from '../store/store';
import { DEMO_NAMES, DEMO_USERS, sampleChannels } from './sample-channels';

export const DEMO_WORKSPACE = 'T0DEMO';
export const DEMO_TIME_ZONE = 'Europe/Berlin';

export interface DemoResult {
  text: string;
  summary: CheckSummary;
}

export async function runDemo(now: Date): Promise<DemoResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-keeper-demo-'));
  const target = parseDatabaseUrl(`file:${path.join(dir, 'demo.db')}`);
  try {
    await migrate(target);
    const store = openStore(target);
    try {
      await store.workspaces.ensure(DEMO_WORKSPACE, 'Acme Social (demo)');
      await store.workspaces.updateSettings(DEMO_WORKSPACE, { timeZone: DEMO_TIME_ZONE, alertChannel: 'C0DEMOALERTS' });
      for (const userId of Object.values(DEMO_USERS))
        await store.members.upsert(DEMO_WORKSPACE, userId, { role: 'team_leader', name: DEMO_NAMES[userId] ?? null });
      const samples = sampleChannels(todayIn(now, DEMO_TIME_ZONE));
      const states = new Map<number, string>();
      for (const sample of samples) {
        const connection = await writeAdded(store, DEMO_WORKSPACE, sample.input, 'demo');
        states.set(connection.id, sample.state);
      }
      const summary = await runCheck({ store, now: () => now }, DEMO_WORKSPACE, { dryRun: true });
      const connections = new Map((await store.connections.list(DEMO_WORKSPACE)).map((c) => [c.id, c]));
      const names = new Map((await store.members.list(DEMO_WORKSPACE)).map((m) => [m.userId, m.name]));
      return { text: render(summary, connections, states, names), summary };
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function render(summary: CheckSummary, connections: Map<number, Connection>, states: Map<number, string>, names: Map<string, string | null>): string {
  const lines = [
    `Channel Keeper demo: ${connections.size} sample channels, checked as of ${summary.today} (${summary.timeZone}), dry run.`,
    `In Slack, these ${count(summary.warnings.length, 'warning')} go to the alert channel, and each owner and backup hears of theirs in one DM.`,
    '',
  ];
  for (const [id, state] of states) {
    const connection = connections.get(id)!;
    const warnings = summary.warnings.filter((w) => w.connectionId === id);
    lines.push(`━━ ${state}: ${connection.name} (${warnings.length ? count(warnings.length, 'warning') : 'no warnings'})`);
    const items = warnings.map((w) => ({
      connection,
      warning: null,
      finding: { kind: w.kind, stage: w.stage, severity: w.severity, dueAt: w.dueAt, message: w.message, advice: w.advice },
    }));
    // As in Slack: the findings one fix settles read as one item.
    for (const item of mergeByAction(items)) lines.push(indent(withNames(renderWarningText(item), names)), '');
    if (!warnings.length) lines.push('');
  }
  lines.push('Nothing was written anywhere: the demo database is deleted. Run `npm start` with Slack credentials for the real thing.');
  return lines.join('\n');
}

/** Slack shows a mention `@U0123ABCD` as the person's name: so does the demo, from the names the bot caches. */
function withNames(text: string, names: Map<string, string | null>): string {
  return text.replace(/@([UW][A-Z0-9]{2,})\b/g, (mention, userId: string) => {
    const name = names.get(userId);
    return name ? `@${name}` : mention;
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n');
}

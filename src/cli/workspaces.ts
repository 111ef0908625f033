/**
 * `channel-keeper workspaces [--json]`: every workspace the database knows, with the id that
 * `import`, `export`, `settings` and `check` take, its name, its state (installed, uninstalled
 * since…, or no installation: single-workspace mode), time zone, alert channel and how many
 * channels are in each health today (judged as the daily check judges them).
 */
import { DATABASE_VARIABLES } from '../config';
import { HEALTHS, type Health, type Workspace } from '../domain';
import type { Store } from '../store/store';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';
import { textTable } from './text-table';

export interface WorkspaceLine {
  workspace: string;
  name: string | null;
  /** `installed`, `uninstalled` (data kept until purged) or `none` (no installation: single-workspace mode, or an import). */
  state: 'installed' | 'uninstalled' | 'none';
  uninstalledAt: string | null;
  timeZone: string;
  checkTime: string;
  alertChannel: string | null;
  channels: number;
  health: Record<Health, number>;
}

export const workspacesCommand = defineCommand({
  name: 'workspaces',
  summary: 'list workspaces with their ids and channels by health',
  description:
    'Every workspace with its id (what --workspace takes), name, state (installed, uninstalled, or — without an installation), time zone, check time, alert channel and how many channels are in each health today.',
  examples: ['workspaces', 'workspaces --json'],
  configure: (command) => command.option('--json', 'one JSON line per workspace'),
  async action({ opts, io }) {
    const config = commandConfig(DATABASE_VARIABLES);
    const lines = await withStore(config, (store) => describeWorkspaces(store, new Date()));
    if (opts.json === true) {
      for (const line of lines) io.out(JSON.stringify(line));
      return 0;
    }
    if (!lines.length) {
      io.err('no workspace yet: the first /channels in Slack creates one (or import channels with --workspace <team id>)');
      return 0;
    }
    io.out(formatWorkspaces(lines));
    return 0;
  },
});

/** Every workspace (or only those of `only`), with its state and its channels by health today. */
export async function describeWorkspaces(store: Store, now: Date, only?: ReadonlySet<string>): Promise<WorkspaceLine[]> {
  // Loaded on use: the rules are not needed by the commands that only parse their options.
  const [{ healthOf }, { evaluateWorkspace }] = await Promise.all([import('../rules/health'), import('../services/evaluation')]);
  const out: WorkspaceLine[] = [];
  const installations = await store.installations().listStates();
  const installed = new Set(installations.filter((i) => !i.uninstalledAt).map((i) => i.teamId));
  for (const workspace of await store.workspaces.list({ uninstalled: true })) {
    if (only && !only.has(workspace.id)) continue;
    const state = workspace.uninstalledAt ? 'uninstalled' : installed.has(workspace.id) ? 'installed' : 'none';
    out.push(await describe({ healthOf, evaluateWorkspace }, store, workspace, now, state));
  }
  return out;
}

async function describe(
  { healthOf, evaluateWorkspace }: Pick<typeof import('../rules/health'), 'healthOf'> & Pick<typeof import('../services/evaluation'), 'evaluateWorkspace'>,
  store: Store,
  workspace: Workspace,
  now: Date,
  state: WorkspaceLine['state'],
): Promise<WorkspaceLine> {
  // Judged as the daily check judges (tool policies, inactive owners): one health per channel whoever asks.
  const { connections, findings } = await evaluateWorkspace({ store }, workspace, now);
  const health = Object.fromEntries(HEALTHS.map((h) => [h, 0])) as Record<Health, number>;
  const byConnection = new Map<number, typeof findings>();
  for (const finding of findings) byConnection.set(finding.connectionId, [...(byConnection.get(finding.connectionId) ?? []), finding]);
  for (const connection of connections) health[healthOf(byConnection.get(connection.id) ?? [])] += 1;
  return {
    workspace: workspace.id,
    name: workspace.name,
    state,
    uninstalledAt: workspace.uninstalledAt ? workspace.uninstalledAt.toISOString() : null,
    timeZone: workspace.timeZone,
    checkTime: workspace.checkTime,
    alertChannel: workspace.alertChannel,
    channels: connections.length,
    health,
  };
}

export function formatWorkspaces(lines: readonly WorkspaceLine[]): string {
  const rows = [
    ['id', 'name', 'state', 'time zone', 'check', 'alert channel', 'channels', ...HEALTHS.map((h) => h.replace('_', ' '))],
    ...lines.map((l) => [
      l.workspace,
      l.name ?? '—',
      l.state === 'uninstalled' ? `uninstalled ${l.uninstalledAt!.slice(0, 10)}` : l.state === 'installed' ? 'installed' : '—',
      l.timeZone,
      l.checkTime,
      l.alertChannel ?? 'none',
      String(l.channels),
      ...HEALTHS.map((h) => String(l.health[h])),
    ]),
  ];
  return textTable(rows).join('\n');
}

/**
 * How a command run from the command line delivers what it recorded (`check`, and `sync` after it
 * observed a disconnection): through the outbox worker, to Slack when SLACK_BOT_TOKEN is set
 * (src/cli/delivery.ts), inside `--wait` (src/cli/slack-wait.ts), drained before the process exits;
 * and how what could not be posted is said: one line per reason on stderr.
 */
import type { Config } from '../config';
import { NETWORKS, type Workspace } from '../domain';
import type { Logger } from '../logger';
import { SLACK_NOT_CONFIGURED, type DeliveryReport, type Outbox } from '../outbox/report';
import type { AdminNotice, SlackPort, SlackPorts } from '../outbox/slack-port';
import { outageHold } from '../rules/outage';
import type { Store } from '../store/store';
import { count } from '../words';
import type { DeliveryFactory } from './delivery';
import type { SlackWait } from './slack-wait';

/** Between two delivery passes while Slack does not answer: rows come due again after their backoff. */
const PASS_INTERVAL_MS = 1_000;

/** Slack for one command run, inside its wait; null when Slack is not configured. */
export interface CliSlack {
  ports: SlackPorts;
  wait: SlackWait;
}

/** The Slack ports a real run posts through (default: Slack when SLACK_BOT_TOKEN is set), wrapped in the run's wait. */
export async function cliSlack(
  deps: { store: Store; config: Config; logger: Logger },
  wait: SlackWait,
  factory?: DeliveryFactory | null,
): Promise<CliSlack | null> {
  // Loaded here: building a Slack client is wasted on --help and dry runs.
  const deliveryFactory = factory === undefined ? (await import('./delivery')).configuredDeliveryFactory : factory;
  const ports = deliveryFactory ? deliveryFactory({ ...deps, signal: wait.signal }) : null;
  return ports ? { ports: wait.wrap(ports), wait } : null;
}

/** What telling a workspace's admins came to: how many active admins, how many were told, and why not. */
export interface AdminsTold {
  admins: number;
  told: number;
  /** Why the last admin not told was not (Slack's words), or that Slack is not configured. */
  reason: string | null;
}

export interface DrainingOutbox extends Outbox {
  /** The notice to every active admin by DM, through the same worker and Slack. */
  tellAdmins(workspace: Workspace, notice: AdminNotice, why: string): Promise<AdminsTold>;
}

/**
 * After recording, the command posts what is due for the workspace before it exits: rows that waited
 * out a backoff are due at once (the command asks for delivery now), and while Slack does not answer,
 * passes go on until the wait runs out (`--wait`). With `repeat: false` (check's `--at`: the clock
 * stands still and the rows put back never come due again): one pass.
 */
export async function drainingOutbox(
  deps: { store: Store; config: Config; logger: Logger; now: () => Date },
  slack: CliSlack | null,
  { repeat }: { repeat: boolean },
): Promise<DrainingOutbox> {
  const [{ OutboxWorker }, { DELIVERY_HOLDER }] = await Promise.all([import('../outbox/worker'), import('./delivery')]);
  const { store, config, logger, now } = deps;
  const refusals: string[] = [];
  const ports = slack ? recordingRefusals(slack.ports, refusals) : null;
  const worker = new OutboxWorker({ store, slack: ports, now, logger, holder: DELIVERY_HOLDER, alertChannelFallback: config.alertChannel });
  return {
    async afterRecording(workspaceId) {
      if (!slack) return worker.drain({ workspaceId });
      await worker.retryWaiting(workspaceId);
      const total = await worker.drain({ workspaceId });
      while (repeat && total.pending && slack.wait.failing && !slack.wait.gaveUp) {
        await slack.wait.pause(PASS_INTERVAL_MS);
        if (slack.wait.gaveUp) break;
        const pass = await worker.drain({ workspaceId });
        Object.assign(total, { posted: total.posted + pass.posted, failed: total.failed + pass.failed, pending: pass.pending, note: pass.note ?? total.note });
      }
      return total;
    },
    async tellAdmins(workspace, notice, why) {
      const admins = (await store.members.list(workspace.id, { role: 'admin', active: true })).length;
      if (!slack) return { admins, told: 0, reason: SLACK_NOT_CONFIGURED };
      refusals.length = 0;
      const told = await worker.tellAdmins(workspace, notice, why);
      return { admins, told, reason: refusals.at(-1) ?? null };
    },
  };
}

/** The same ports, keeping why each post Slack did not take was not taken (for the line on stderr). */
function recordingRefusals(ports: SlackPorts, refusals: string[]): SlackPorts {
  return {
    forWorkspace(workspaceId) {
      const port: SlackPort = ports.forWorkspace(workspaceId);
      return {
        window: () => port.window(),
        post: async (to, message, options) => {
          const result = await port.post(to, message, options);
          if (!result.ok) refusals.push(result.reason);
          return result;
        },
        update: (channel, ts, message) => port.update(channel, ts, message),
        findPosts: (conversation, ids, since, carrying) => port.findPosts(conversation, ids, since, carrying),
      };
    },
  };
}

export function workspaceLabel(workspace: Workspace): string {
  return workspace.name ? `workspace ${workspace.name} (${workspace.id})` : `workspace ${workspace.id}`;
}

/** What a real run could not post, one line per reason; `failed`: exit code 1 (with Slack configured only). */
export async function notPosted(
  store: Store,
  workspace: Workspace,
  report: DeliveryReport,
  slack: CliSlack | null,
): Promise<{ failed: boolean; lines: string[] }> {
  if (!slack) return unconfiguredNote(report);
  return deliveryProblems(report, await heldByOutage(store, workspace, report.pending), slack.wait);
}

/**
 * What a real run with Slack could not post, one line per reason: rows that failed (a person must
 * act: a revoked token, the bot not in the channel) and rows still pending (Slack did not answer),
 * except those a declared outage holds back on purpose. Any of them is exit code 1.
 */
function deliveryProblems(report: DeliveryReport, held: number, wait: Pick<SlackWait, 'why' | 'refusal'>): { failed: boolean; lines: string[] } {
  const lines: string[] = [];
  if (report.failed) lines.push(`${count(report.failed, 'warning')} could not be posted: ${wait.refusal() ?? report.note ?? 'Slack refused them'}`);
  const waiting = report.pending - held;
  if (waiting > 0) {
    const why = wait.why() ?? report.note ?? 'not yet tried';
    lines.push(`${count(waiting, 'warning')} not posted: ${why}; ${waiting === 1 ? 'it stays' : 'they stay'} pending for serve (or the next check)`);
  }
  return { failed: lines.length > 0, lines };
}

/** Without Slack a real run only records: not a failure, but said (stdout may be JSON only). */
function unconfiguredNote(report: DeliveryReport): { failed: boolean; lines: string[] } {
  if (!report.pending) return { failed: false, lines: [] };
  return {
    failed: false,
    lines: [`${count(report.pending, 'warning')} recorded, not posted: ${SLACK_NOT_CONFIGURED} (no SLACK_BOT_TOKEN); serve posts them once it is`],
  };
}

/** Pending rows a declared network outage holds back: not due, so not a failure. */
async function heldByOutage(store: Store, workspace: Workspace, pending: number): Promise<number> {
  if (!pending || !NETWORKS.some((network) => workspace.outages[network])) return 0;
  const connections = new Map((await store.connections.list(workspace.id)).map((c) => [c.id, c]));
  const hold = outageHold(workspace, connections);
  return (await store.warnings.listByState(workspace.id, 'pending', pending)).filter((row) => hold.holds(row)).length;
}

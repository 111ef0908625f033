/**
 * Messages follow their warnings: a stored message (alert channel message, digest, DM) is rebuilt
 * from the database (never from what a payload says it looked like), each item worded as of the
 * day it was posted with its warning as it is now, and rewritten through the Slack port. The worker
 * rewrites every message whose warnings were settled, escalated or acknowledged since it was
 * written; a button press rewrites the pressed message at once, with a note on the pressed item.
 * A failed rewrite is tried again with backoff by the worker.
 */
import { todayIn } from '../rules/calendar';
import { resolvePolicy } from '../rules/policy';
import type { Connection, Workspace } from '../domain';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { nextAttemptAt } from './backoff';
import { compareWarnings, SHOWN_AT_MOST, summarize } from './message-summary';
import type { PostedMessages, StoredMessage } from './messages';
import type { Rewrite, SlackPort } from './slack-port';
import { toWarningItem, type WarningItem } from './warning-item';

export interface RewriteDeps {
  store: Store;
  messages: PostedMessages;
  logger: Logger;
  /** SLACK_ALERT_CHANNEL, named in rebuilt DMs when the workspace has none. */
  alertChannelFallback?: string | null;
  /** The first backoff of a failed rewrite (doubled per attempt). */
  firstRetryMs?: number;
}

const SETTLED: ReadonlySet<string> = new Set(['resolved', 'snoozed']);

/** `updated`: rewritten; `empty`: none of its connections exists any more; `failed`: tried again later (or never); `missing`: no such message. */
export type RewriteOutcome = 'updated' | 'empty' | 'failed' | 'missing';

/** Rebuilds one stored message from the database and rewrites it through `port`. */
export async function rewriteMessage(
  deps: RewriteDeps,
  port: SlackPort,
  id: number,
  now: Date,
  acted?: { blockId?: string; note: string },
): Promise<RewriteOutcome> {
  const { store, messages, logger } = deps;
  const stored = await messages.find(id);
  if (!stored) return 'missing';
  const states = stored.warnings;
  try {
    const workspace = await store.workspaces.findById(stored.workspaceId);
    if (!workspace) return 'missing';
    const rewrite = await rebuild(store, stored, workspace, workspace.alertChannel ?? deps.alertChannelFallback ?? null, acted);
    if (!rewrite) {
      await messages.markWritten(id, states);
      return 'empty';
    }
    const result = await port.update(stored.channel, stored.ts, rewrite);
    if (result.ok) {
      await messages.markWritten(id, states);
      return 'updated';
    }
    const retryAt = result.outcome === 'retry' ? nextAttemptAt(now, stored.attempts + 1, deps.firstRetryMs) : null;
    await messages.updateFailed(id, result.reason, retryAt, states);
    logger.warn({ messageId: id, channel: stored.channel, reason: result.reason, retry: retryAt !== null }, 'message not updated');
    return 'failed';
  } catch (error) {
    logger.warn({ messageId: id, err: (error as Error).message }, 'message not updated; tried again later');
    await messages.updateFailed(id, (error as Error).message, nextAttemptAt(now, stored.attempts + 1, deps.firstRetryMs)).catch(() => undefined);
    return 'failed';
  }
}

/**
 * The message as it should read now: its items worded as of the day it was posted (the
 * connection's policy, its tool included), each with its warning as stored now. Null when none of
 * its connections exists any more.
 */
async function rebuild(
  store: Store,
  stored: StoredMessage,
  workspace: Workspace,
  alertChannel: string | null,
  acted?: { blockId?: string; note: string },
): Promise<Rewrite | null> {
  // A digest or DM shows its most urgent items and counts the rest: only those are worded (and
  // their connections read), so a message of a big run is rewritten as cheaply as a small one.
  const many = stored.kind !== 'alert';
  const shown = many ? [...stored.warnings].sort(compareWarnings).slice(0, SHOWN_AT_MOST) : stored.warnings;
  const connections = new Map<number, Connection>();
  for (const w of shown) {
    if (connections.has(w.connectionId)) continue;
    const connection = await store.connections.findById(workspace.id, w.connectionId);
    if (connection) connections.set(connection.id, connection);
  }
  const today = todayIn(stored.createdAt, workspace.timeZone);
  const items: WarningItem[] = [];
  for (const warning of shown) {
    const connection = connections.get(warning.connectionId);
    if (connection)
      items.push(toWarningItem(warning, connection, { today, policy: resolvePolicy(connection.network, workspace.policyOverrides, connection.tool) }));
  }
  if (!items.length) return null;
  // The totals as posted, and how many of them are settled since.
  const settled = stored.warnings.filter((w) => SETTLED.has(w.state)).length;
  const summary = summarize(
    stored.warnings.map((w) => w.severity),
    settled,
  );
  return {
    kind: stored.kind,
    recipient: stored.recipient,
    items,
    ...(many ? { summary } : {}),
    alertChannel: linkedChannel(stored) ?? alertChannel ?? stored.channel,
    escalation: workspace.escalation,
    ...(acted ? { acted } : {}),
  };
}

/**
 * The channel a DM links to ("the details and buttons are in …"): where its warnings were posted,
 * whatever the settings or the environment of the process rewriting it say (a DM never names
 * itself). Other messages are in the alert channel themselves.
 */
function linkedChannel(stored: StoredMessage): string | null {
  if (stored.kind !== 'dm') return null;
  return stored.warnings.find((w) => w.slackChannel)?.slackChannel ?? null;
}

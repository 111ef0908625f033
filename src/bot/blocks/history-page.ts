/** `/channels history <name>`: the audit trail of one channel, newest first, a page at a time. */
import type { KnownBlock } from '@slack/types';
import type { AuditAction, AuditEvent } from '../../domain';
import { escapeMrkdwn, escapeName, mention, truncate } from '../mrkdwn';
import { ACTION, CODEC } from '../interactions';
import { enumWords } from '../../words';

export const HISTORY_PAGE_SIZE = 25;

export interface HistoryScope {
  title: string;
  /** The channel, or null for the whole workspace (the "Next page" button runs the same query). */
  connectionId: number | null;
}

export function buildHistoryPage(scope: HistoryScope, events: readonly AuditEvent[], page: number, total: number): KnownBlock[] {
  const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
  const lines = events.map(
    (e) => `${e.at.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${person(e.actorId)} · *${escapeMrkdwn(actionWords(e.action))}* ${describe(e.details)}`,
  );
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(scope.title, 150) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: `${total} event${total === 1 ? '' : 's'} · page ${page + 1} of ${pages}` }] },
  ];
  // Several lines per section keep long trails far below the 50-block limit.
  for (let i = 0; i < lines.length; i += 5) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(lines.slice(i, i + 5).join('\n'), 3000) } });
  if (!lines.length) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'No events recorded.' } });
  if (page + 1 < pages) {
    blocks.push({
      type: 'actions',
      block_id: 'history_pages',
      elements: [
        {
          type: 'button',
          action_id: ACTION.nextPage,
          text: { type: 'plain_text', text: `Next page (${page + 2} of ${pages})` },
          value: CODEC.page.encode({ list: 'history', ...(scope.connectionId === null ? {} : { connectionId: scope.connectionId }), page: page + 1 }),
        },
      ],
    });
  }
  return blocks;
}

/**
 * Rows written before the audit names were made consistent (every change to one channel is
 * `connection.*`) read as they would be written today.
 */
const RENAMED: Record<string, string> = {
  refresh: 'connection.refresh',
  activity: 'connection.activity',
  disconnected: 'connection.disconnect',
  reconnected: 'connection.reconnect',
  'owner.change': 'connection.owner',
  'backup.add': 'connection.backup.add',
  'backup.remove': 'connection.backup.remove',
  handover: 'connection.handover',
  snooze: 'connection.snooze',
};

/** Each audit action as people say it (the stored names are for machines). */
const ACTION_WORDS: Record<AuditAction, string> = {
  'connection.add': 'added',
  'connection.sync': 'created by sync',
  'source.add': 'added a source',
  'source.remove': 'removed a source',
  'source.token': 'set the introspection token',
  'connection.edit': 'edited',
  'connection.remove': 'removed',
  'connection.retire': 'retired',
  'connection.restore': 'restored',
  'connection.refresh': 'marked refreshed',
  'connection.activity': 'recorded owner activity',
  'connection.snooze': 'snoozed',
  'connection.disconnect': 'marked disconnected',
  'connection.reconnect': 'marked reconnected',
  'connection.owner': 'changed the owner',
  'connection.handover': 'handed over',
  'connection.backup.add': 'added a backup admin',
  'connection.backup.remove': 'removed a backup admin',
  'warning.acknowledge': 'took a warning (I’m on it)',
  'warning.escalate': 'escalated',
  'role.change': 'changed a role',
  'settings.change': 'changed the settings',
  'outage.on': 'declared an outage',
  'outage.off': 'lifted an outage',
  'member.deactivated': 'Slack account deactivated',
  'member.reactivated': 'Slack account reactivated',
  'calendar.create': 'made the workspace calendar feed',
  'calendar.rotate': 'made a new workspace calendar feed',
  'calendar.personal': 'made a personal calendar feed',
};

function actionWords(action: string): string {
  const current = RENAMED[action] ?? action;
  return ACTION_WORDS[current as AuditAction] ?? current;
}

/** A stored value such as `team_leader` or `at_risk`, as words; anything else as it is. */
function words(value: string): string {
  return /^[a-z]+(_[a-z]+)+$/.test(value) ? enumWords(value) : value;
}

const USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** A Slack user as a mention; "cli", "system" or a role (`from`/`to` of a role change) as words. */
function person(id: string): string {
  return USER_ID.test(id) ? mention(id) : escapeMrkdwn(words(id));
}

/** The detail keys that name a person: only these become mentions (a channel named UNICEF stays text). */
const PERSON_KEYS: ReadonlySet<string> = new Set(['userId', 'ownerId', 'owner', 'leaving', 'successor', 'backup', 'by', 'from', 'to']);

/** Details as `key: value` pairs, users as mentions, all escaped. */
function describe(details: Record<string, unknown>): string {
  const parts = Object.entries(details).map(([key, value]) => {
    const text =
      typeof value !== 'string' ? escapeName(JSON.stringify(value)) : PERSON_KEYS.has(key) ? person(value) : escapeName(key === 'name' ? value : words(value));
    return `${escapeMrkdwn(key)}: ${text}`;
  });
  return truncate(parts.join(', '), 400);
}

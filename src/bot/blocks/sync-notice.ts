/**
 * The one message admins get after a source sync: the records it created, which need an owner
 * (not a critical warning per record), and the sources that refused their credential (told once).
 */
import { SOURCE_NAMES } from '../../domain';
import type { SyncNotice } from '../../services/sync-report';
import { joinList } from '../../words';
import { channelName } from '../mrkdwn';
import type { SlackMessage } from './warning-message';

/** Enough names to act on; the rest is counted. */
const SHOWN = 20;

export function buildSyncNotice(notice: SyncNotice): SlackMessage {
  const lines: string[] = [];
  const plain: string[] = [];
  if (notice.needOwner.length) {
    const names = notice.needOwner.map((r) => `${channelName(r.name)} (${r.network}, from ${SOURCE_NAMES[r.source]})`);
    const head = `${notice.needOwner.length === 1 ? 'A new channel was' : `${notice.needOwner.length} new channels were`} found by the sync and need an owner`;
    lines.push(`:inbox_tray: ${head}: ${joinList(names, { items: SHOWN, chars: 2500 })}. Give each an owner with \`/channels owner <name> @person\`.`);
    plain.push(`${head}.`);
  }
  for (const source of notice.needsCredential) {
    const line = `${SOURCE_NAMES[source]} refused its credential: give it a new one (\`/channels sources\`, or \`channel-keeper sources add ${source}\`). Until then its channels are not synced.`;
    lines.push(`:key: ${line}`);
    plain.push(line);
  }
  return { text: plain.join(' '), blocks: lines.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })) };
}

/**
 * Service results as the Slack notes the team sees ("<@U1> marked *Acme* refreshed on …"). A
 * result that changed nothing becomes the refusal the asker alone sees (a UsageError).
 */
import { networkLabel } from '../rules/advice';
import { isDisconnectionNoise } from '../rules/outage';
import { DISCONNECT_REASONS, type Connection, type Workspace } from '../domain';
import { NEXT_STAGE, type BackupChange, type DateRecorded, type Snoozed } from '../services/caretaking';
import { channelsOf, type Disconnected, type Handover, type OwnerChange, type Reconnected } from '../services/channels';
import type { ChannelChange } from '../services/deps';
import type { Acknowledged } from '../services/escalation';
import type { OutageChange, RoleChange, SettingsChange } from '../services/workspace';
import type { BotDeps } from './deps';
import { evaluateChannels } from './evaluation-cache';
import { channelName, escapeName, mention } from './mrkdwn';
import { UsageError } from './answer-error';
import { count } from '../words';

/** "when" for notes: Slack renders it in each reader's own time zone. */
export function slackTime(at: Date): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${at.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

export function refreshedNote(actorId: string, r: DateRecorded): string {
  if (!r.changed) throw new UsageError(`${channelName(r.connection.name)} is already marked refreshed on ${r.on}: nothing changed.`);
  return `:white_check_mark: ${mention(actorId)} marked ${channelName(r.connection.name)} refreshed on ${r.on} (${slackTime(r.at)}).`;
}

export function activeNote(actorId: string, r: DateRecorded): string {
  if (!r.changed) throw new UsageError(`The owner of ${channelName(r.connection.name)} is already recorded active on ${r.on}: nothing changed.`);
  return `:white_check_mark: ${mention(actorId)} recorded the owner of ${channelName(r.connection.name)} active on ${r.on} (${slackTime(r.at)}).`;
}

export function snoozedNote(actorId: string, r: Snoozed): string {
  if (!r.snoozed.length) throw new UsageError(`${channelName(r.connection.name)} has no open warnings to snooze.`);
  const until = r.until === NEXT_STAGE ? 'its next stage' : slackTime(r.until);
  return `:zzz: ${mention(actorId)} snoozed ${count(r.snoozed.length, 'warning')} of ${channelName(r.connection.name)} until ${until}.`;
}

/** "I'm on it" (docs/rules.md "Escalation"): the warning stays open, its climb stops. */
export function acknowledgedNote(actorId: string, r: Acknowledged): string {
  const name = channelName(r.connection.name);
  if (!r.acknowledged.length) {
    const taker = r.already.find((w) => w.acknowledgedBy)?.acknowledgedBy;
    throw new UsageError(taker ? `${mention(taker)} already took the warning of ${name}: nothing changed.` : `${name} has no open warning to take.`);
  }
  return `:raising_hand: ${mention(actorId)} is on ${name}: no further escalation (${slackTime(r.at)}).`;
}

export function backupAddedNote(actorId: string, r: BackupChange): string {
  return `:busts_in_silhouette: ${mention(actorId)} added ${mention(r.userId)} as a backup admin of ${channelName(r.connection.name)} (${slackTime(r.at)}).`;
}

export function backupRemovedNote(actorId: string, r: BackupChange): string {
  return `${mention(actorId)} removed ${mention(r.userId)} as a backup admin of ${channelName(r.connection.name)} (${slackTime(r.at)}).`;
}

export function ownerNote(actorId: string, r: OwnerChange): string {
  if (!r.changed) throw new UsageError(`${mention(r.ownerId)} already owns ${channelName(r.connection.name)}.`);
  return `:bust_in_silhouette: ${mention(actorId)} made ${mention(r.ownerId)} the owner of ${channelName(r.connection.name)} (${slackTime(r.at)}).`;
}

export function disconnectedNote(actorId: string, r: Disconnected): string {
  const name = channelName(r.connection.name);
  if (!r.changed) throw new UsageError(`${name} is already marked disconnected (since ${r.connection.disconnectedAt ?? 'an unknown date'}).`);
  return `:black_circle: ${mention(actorId)} marked ${name} disconnected on ${r.on}: ${DISCONNECT_REASONS[r.reason]} (${slackTime(r.at)}).`;
}

export function reconnectedNote(actorId: string, r: Reconnected): string {
  const name = channelName(r.connection.name);
  if (!r.changed)
    throw new UsageError(`${name} is not marked disconnected, so there is nothing to reconnect. To record a refresh, type \`/channels refresh <name>\`.`);
  return `:large_green_circle: ${mention(actorId)} marked ${name} reconnected on ${r.on}: a new token cycle starts (${slackTime(r.at)}).`;
}

export function removedNote(actorId: string, r: ChannelChange): string {
  return `:wastebasket: ${mention(actorId)} removed ${channelName(r.connection.name)} (${slackTime(r.at)}). Its history is kept.`;
}

export function addedNote(actorId: string, c: Connection): string {
  return `:heavy_plus_sign: ${mention(actorId)} added ${channelName(c.name)}. See it with \`/channels show ${c.name.replace(/[<>&`]/g, '')}\`.`;
}

export function editedNote(actorId: string, c: Connection): string {
  return `:pencil2: ${mention(actorId)} updated ${channelName(c.name)}.`;
}

export function handoverTitle(r: Handover): string {
  return `${count(r.changes.length, 'channel')} handed over from ${mention(r.from)} to ${mention(r.to)}`;
}

export function roleNote(actorId: string, r: RoleChange): string {
  if (r.outcome === 'unchanged') throw new UsageError(`${mention(r.userId)} already is ${r.role.replace('_', ' ')}.`);
  if (r.outcome === 'last_admin')
    throw new UsageError(`${mention(r.userId)} is the last admin: make someone else admin first, or nobody could change settings.`);
  return `${mention(actorId)} made ${mention(r.userId)} ${r.role === 'admin' ? 'an admin' : r.role === 'team_leader' ? 'a team leader' : 'a member'} (${slackTime(r.at)}).`;
}

export function settingsNote(actorId: string, r: SettingsChange): string {
  return `:gear: ${mention(actorId)} saved the settings: alerts in <#${r.workspace.alertChannel}>, checks daily at ${r.workspace.checkTime} (${r.workspace.timeZone}).`;
}

export async function outageNote(deps: BotDeps, workspace: Workspace, actorId: string, r: OutageChange): Promise<string> {
  const label = networkLabel(r.network);
  if (!r.changed) throw new UsageError(r.on ? `A ${label} outage is already declared (since ${r.since}).` : `No ${label} outage is declared.`);
  return r.on
    ? `:rotating_light: ${mention(actorId)} declared a *${label} outage* (${slackTime(r.at)}). Per-channel disconnection warnings for ${label} are held back until it is lifted with \`/channels outage ${r.network} off\`.`
    : `:white_check_mark: ${mention(actorId)} lifted the *${label} outage* (${slackTime(r.at)}). ${await outageSummary(deps, workspace, r)}`;
}

const SUMMARY_NAMES = 10;

/**
 * The single summary posted when an outage is lifted: which of the network's channels are now
 * disconnected or past their token's end, the noise that was held back while it lasted.
 */
async function outageSummary(deps: BotDeps, workspace: Workspace, { network }: OutageChange): Promise<string> {
  const label = networkLabel(network);
  const connections = await channelsOf(deps, workspace.id, { network });
  const reports = await evaluateChannels(deps, workspace, connections);
  const hit = reports.filter((r) => r.summary.findings.some((f) => isDisconnectionNoise(f.kind, f.stage)));
  if (!hit.length)
    return `${connections.length === 1 ? 'The' : 'All'} ${count(connections.length, `${label} channel`)} ${connections.length === 1 ? 'looks' : 'look'} connected: nothing was held back.`;
  const names = hit.slice(0, SUMMARY_NAMES).map((r) => `• ${channelName(r.connection.name)}: ${escapeName(r.summary.findings[0]!.message)}`);
  const more = hit.length > SUMMARY_NAMES ? [`and ${hit.length - SUMMARY_NAMES} more: \`/channels status ${network}\``] : [];
  return [
    `${hit.length} of ${count(connections.length, `${label} channel`)} ${hit.length === 1 ? 'needs' : 'need'} reconnecting; their warnings resume with the next check:`,
    ...names,
    ...more,
  ].join('\n');
}

export function retiredNote(actorId: string, r: ChannelChange): string {
  const name = channelName(r.connection.name);
  if (!r.changed) throw new UsageError(`${name} is already retired. To use it again, type \`/channels restore <name>\`.`);
  const resolved = r.resolvedWarnings.length ? ` ${count(r.resolvedWarnings.length, 'open warning')} resolved.` : '';
  return `:file_cabinet: ${mention(actorId)} retired ${name} (${slackTime(r.at)}): no more warnings; its history is kept and \`/channels status retired\` lists it.${resolved}`;
}

export function restoredNote(actorId: string, r: ChannelChange): string {
  const name = channelName(r.connection.name);
  if (!r.changed) throw new UsageError(`${name} is not retired, so there is nothing to restore.`);
  return `:leftwards_arrow_with_hook: ${mention(actorId)} restored ${name} (${slackTime(r.at)}): the next check judges it again.`;
}

/** A calendar feed's address: PUBLIC_URL with the feed's path, or the path alone while PUBLIC_URL is not set. */
export function calendarFeedUrl(secret: string, publicUrl: string | null | undefined): string {
  return `${publicUrl ?? ''}/calendar/${secret}.ics`;
}

/** What to do about a missing PUBLIC_URL, said to whoever asked for a feed (they may not run the bot). */
const SET_PUBLIC_URL =
  'The bot does not know its public address yet: ask whoever runs Channel Keeper to set `PUBLIC_URL` (e.g. `PUBLIC_URL=https://keeper.example.com`) and restart it; this command then gives the whole URL.';

export function calendarNote(secret: string, personal: boolean, rotated: boolean, publicUrl: string | null | undefined): string {
  const what = personal ? 'Your calendar feed (the channels you own)' : "The workspace's calendar feed";
  const news = rotated ? ' A new secret was made: the previous URL no longer answers.' : '';
  const where = publicUrl ? `\`${calendarFeedUrl(secret, publicUrl)}\`` : `\`${calendarFeedUrl(secret, null)}\` on the bot's public address. ${SET_PUBLIC_URL}`;
  return (
    `:calendar: ${what}: ${where} ` +
    `Subscribe to it in your calendar: every expiry, refresh and inactivity deadline, with a reminder a week before.${news} Keep the URL private: it is the only key.`
  );
}

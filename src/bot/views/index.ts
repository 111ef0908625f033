/**
 * Modal submissions (callback ids in src/bot/interactions.ts VIEW): each reads its fields, calls
 * the service, and returns the note shown where the modal came from.
 */
import { isIsoDate } from '../../rules/calendar';
import { parseLadder, validateCheckTime, validatePolicyOverrides, validateTimeZone } from '../../rules/policy-validation';
import { isChannelId, type Connection, type PolicyOverrides } from '../../domain';
import { ConflictError, NotFoundError } from '../../errors';
import { addBackup, todayOf } from '../../services/caretaking';
import { addConnection, channelById, editConnection, markDisconnected, reassignOwner } from '../../services/channels';
import { assertMay } from '../../services/permissions';
import { rotateCalendarSecret } from '../../services/calendar';
import { changeSettings } from '../../services/workspace';
import { CHANNEL_FIELD } from '../blocks/channel-modal';
import { DISCONNECT_FIELD } from '../blocks/disconnect-modal';
import { PERSON_FIELD } from '../blocks/person-modal';
import { SETTINGS_FIELD } from '../blocks/settings-modal';
import type { BotDeps } from '../deps';
import type { KeeperApp } from '../identity';
import { VIEW } from '../interactions';
import { addedNote, backupAddedNote, calendarNote, disconnectedNote, editedNote, ownerNote, settingsNote } from '../notes';
import { parseDisconnectReason } from '../parse';
import { readChannelForm } from './channel-form';
import { readEscalationForm } from './escalation-form';
import { field, FieldError, submissionListener, textOf, type FieldErrors, type Submission } from './submission';

export function register(app: KeeperApp, deps: BotDeps): void {
  app.view(
    VIEW.addChannel,
    submissionListener(deps, async (s) => {
      assertMay(s.actor, 'lead', 'add channels');
      const input = readChannelForm(s.values, todayOf(deps, s.workspace));
      const connection = await nameConflictUnderField(() => addConnection(deps, s, input));
      return { note: addedNote(s.actor.userId, connection), picked: [connection.ownerId, ...connection.backups.map((b) => b.userId)] };
    }),
  );
  app.view(
    VIEW.editChannel,
    submissionListener(deps, async (s) => {
      const existing = await channelOf(deps, s);
      assertMay(s.actor, 'lead', 'edit channels', existing);
      const { backups: _backups, ...changes } = readChannelForm(s.values, todayOf(deps, s.workspace));
      const connection = await nameConflictUnderField(() => editConnection(deps, s, existing, changes));
      return { note: editedNote(s.actor.userId, connection), connectionId: connection.id, picked: [connection.ownerId] };
    }),
  );
  app.view(
    VIEW.addBackup,
    submissionListener(deps, async (s) => {
      const { connection, userId } = await picked(deps, s);
      if (connection.ownerId === userId) throw new FieldError({ [PERSON_FIELD]: 'That person owns the channel; choose someone else as backup.' });
      if (connection.backups.some((b) => b.userId === userId)) throw new FieldError({ [PERSON_FIELD]: 'That person already is a backup admin.' });
      return { note: backupAddedNote(s.actor.userId, await addBackup(deps, s, connection, userId)), connectionId: connection.id, picked: [userId] };
    }),
  );
  app.view(
    VIEW.reassignOwner,
    submissionListener(deps, async (s) => {
      const { connection, userId } = await picked(deps, s);
      if (connection.ownerId === userId) throw new FieldError({ [PERSON_FIELD]: 'That person already owns the channel.' });
      return { note: ownerNote(s.actor.userId, await reassignOwner(deps, s, connection, userId)), connectionId: connection.id, picked: [userId] };
    }),
  );
  app.view(
    VIEW.markDisconnected,
    submissionListener(deps, async (s) => {
      const connection = await channelOf(deps, s);
      const today = todayOf(deps, s.workspace);
      const on = field(s.values, DISCONNECT_FIELD.on)?.selected_date ?? today;
      if (!isIsoDate(on) || on > today) throw new FieldError({ [DISCONNECT_FIELD.on]: `Pick a date up to today (${today}).` });
      const reason = parseDisconnectReason(field(s.values, DISCONNECT_FIELD.reason)?.selected_option?.value ?? 'unknown');
      return { note: disconnectedNote(s.actor.userId, await markDisconnected(deps, s, connection, reason, on)), connectionId: connection.id };
    }),
  );
  app.view(
    VIEW.settings,
    submissionListener(deps, async (s) => {
      assertMay(s.actor, 'admin', 'change settings');
      const note = settingsNote(s.actor.userId, await changeSettings(deps, s, readSettingsForm(s)));
      // Saved settings retried the failed deliveries: the worker posts them now, not at the next check.
      deps.wakeOutbox?.();
      const rotate = (field(s.values, SETTINGS_FIELD.rotateCalendar)?.selected_options ?? []).some((o) => o.value === 'rotate');
      if (!rotate) return { note };
      const { secret } = await rotateCalendarSecret(deps, s);
      return { note: `${note}\n${calendarNote(secret, false, true, deps.publicUrl)}` };
    }),
  );
}

/** The channel the modal is about, as it is now. */
async function channelOf(deps: BotDeps, s: Submission): Promise<Connection> {
  const connection = s.metadata.connectionId === undefined ? null : await channelById(deps, s.workspace.id, s.metadata.connectionId);
  if (!connection) throw new NotFoundError('That channel was removed meanwhile; nothing was changed.');
  return connection;
}

async function picked(deps: BotDeps, s: Submission): Promise<{ connection: Connection; userId: string }> {
  const connection = await channelOf(deps, s);
  const userId = field(s.values, PERSON_FIELD)?.selected_user;
  if (!userId) throw new FieldError({ [PERSON_FIELD]: 'Choose a person.' });
  return { connection, userId };
}

/** A second channel with the same name is refused under the name field. */
async function nameConflictUnderField<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConflictError) throw new FieldError({ [CHANNEL_FIELD.name]: error.message });
    throw error;
  }
}

/** Every field checked with the shared validators (the CLI uses the same); all problems at once. */
function readSettingsForm({ workspace, values }: Submission) {
  const errors: FieldErrors = {};
  const alertChannel = field(values, SETTINGS_FIELD.alertChannel)?.selected_conversation ?? null;
  if (!alertChannel || !isChannelId(alertChannel)) errors[SETTINGS_FIELD.alertChannel] = 'Choose a channel (not a direct message) for warnings.';
  const zone = validateTimeZone(textOf(values, SETTINGS_FIELD.timeZone));
  if (!zone.ok) errors[SETTINGS_FIELD.timeZone] = zone.errors[0]!.message;
  const time = validateCheckTime(field(values, SETTINGS_FIELD.checkTime)?.selected_time ?? '');
  if (!time.ok) errors[SETTINGS_FIELD.checkTime] = time.errors[0]!.message;
  const ladderText = textOf(values, SETTINGS_FIELD.ladder);
  const ladder = ladderText ? parseLadder(ladderText) : null;
  if (ladder && !ladder.ok) errors[SETTINGS_FIELD.ladder] = `The ladder ${ladder.errors[0]!.message}`;
  const { expiryLadder: _old, ...allRest } = workspace.policyOverrides.all ?? {};
  const overrides: PolicyOverrides = { ...workspace.policyOverrides, all: ladder?.ok ? { ...allRest, expiryLadder: ladder.value } : allRest };
  const checked = validatePolicyOverrides(overrides);
  if (!checked.ok && !errors[SETTINGS_FIELD.ladder]) errors[SETTINGS_FIELD.ladder] = checked.errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  const escalation = readEscalationForm(values, errors);
  // Absent from a form opened before the field existed: left as it is.
  const canvas = field(values, SETTINGS_FIELD.statusCanvas);
  const statusCanvas = canvas ? (canvas.selected_options ?? []).some((o) => o.value === 'on') : undefined;
  if (Object.keys(errors).length || !zone.ok || !time.ok || !checked.ok) throw new FieldError(errors);
  return { alertChannel, timeZone: zone.value, checkTime: time.value, policyOverrides: checked.value, escalation, statusCanvas };
}

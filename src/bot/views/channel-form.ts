/** Reads and checks the add/edit channel modal; every problem is reported under its field at once. */
import { isIsoDate } from '../../rules/calendar';
import {
  CONNECTION_KINDS,
  EARLIEST_DATE,
  NETWORKS,
  isTool,
  nameProblem,
  urlProblem,
  type ConnectionKind,
  type IsoDate,
  type Network,
  type SecurityAttestations,
} from '../../domain';
import type { ConnectionInput } from '../../services/channels';
import { CHANNEL_FIELD, NO_TOOL, SECURITY_FIELD } from '../blocks/channel-modal';
import { field, FieldError, textOf, type FieldErrors, type Submission } from './submission';

export function readChannelForm(values: Submission['values'], today: IsoDate): ConnectionInput {
  const errors: FieldErrors = {};
  const network = field(values, CHANNEL_FIELD.network)?.selected_option?.value;
  if (!network || !(NETWORKS as readonly string[]).includes(network)) errors[CHANNEL_FIELD.network] = `Choose a network: ${NETWORKS.join(', ')}.`;
  const kind = field(values, CHANNEL_FIELD.kind)?.selected_option?.value;
  if (!kind || !(CONNECTION_KINDS as readonly string[]).includes(kind)) errors[CHANNEL_FIELD.kind] = 'Choose what kind of channel it is.';
  const name = textOf(values, CHANNEL_FIELD.name).replace(/\s+/g, ' ');
  const nameError = nameProblem(name);
  if (nameError) errors[CHANNEL_FIELD.name] = nameError;
  const url = textOf(values, CHANNEL_FIELD.url);
  const urlError = url ? urlProblem(url) : null;
  if (urlError) errors[CHANNEL_FIELD.url] = urlError;
  const ownerId = field(values, CHANNEL_FIELD.owner)?.selected_user ?? null;
  if (!ownerId) errors[CHANNEL_FIELD.owner] = 'Choose who connected it.';
  const connectedAt = date(values, CHANNEL_FIELD.connectedAt, today, errors, true);
  const lastRefreshedAt = date(values, CHANNEL_FIELD.lastRefreshedAt, today, errors);
  const ownerLastActiveAt = date(values, CHANNEL_FIELD.ownerLastActiveAt, today, errors);
  if (connectedAt && lastRefreshedAt && lastRefreshedAt < connectedAt) {
    errors[CHANNEL_FIELD.lastRefreshedAt] = `A refresh cannot come before the connection (${connectedAt}).`;
  }
  const toolValue = field(values, CHANNEL_FIELD.tool)?.selected_option?.value ?? NO_TOOL;
  if (toolValue !== NO_TOOL && !isTool(toolValue)) errors[CHANNEL_FIELD.tool] = 'Choose the tool from the list.';
  const notes = textOf(values, CHANNEL_FIELD.notes);
  if (Object.keys(errors).length) throw new FieldError(errors);
  const backups = (field(values, CHANNEL_FIELD.backups)?.selected_users ?? []).filter((u) => u !== ownerId);
  return {
    network: network as Network,
    kind: kind as ConnectionKind,
    name,
    url: url || null,
    ownerId,
    connectedAt: connectedAt!,
    lastRefreshedAt,
    ownerLastActiveAt,
    security: security(values),
    notes: notes || null,
    tool: isTool(toolValue) ? toolValue : null,
    backups,
  };
}

function date(values: Submission['values'], id: string, today: IsoDate, errors: FieldErrors, required = false): IsoDate | null {
  const value = field(values, id)?.selected_date ?? null;
  if (!value) {
    if (required) errors[id] = 'Pick the date.';
    return null;
  }
  if (!isIsoDate(value)) errors[id] = `${value} is not a date.`;
  else if (value > today) errors[id] = `${value} is in the future (today is ${today}): record only what already happened.`;
  else if (value < EARLIEST_DATE) errors[id] = `${value} is before ${EARLIEST_DATE}: pick the real date.`;
  return value;
}

function security(values: Submission['values']): SecurityAttestations {
  const answer = (id: string) => {
    const v = field(values, id)?.selected_option?.value;
    return v === 'yes' ? true : v === 'no' ? false : null;
  };
  return {
    sharedLogin: answer(SECURITY_FIELD.sharedLogin.id),
    twoFactor: answer(SECURITY_FIELD.twoFactor.id),
    ownerSuperAdmin: answer(SECURITY_FIELD.ownerSuperAdmin.id),
    permissionsGranted: answer(SECURITY_FIELD.permissionsGranted.id),
  };
}

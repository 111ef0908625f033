/** The add/edit channel modal: every field of a connection, security attestations with "unknown". */
import type { InputBlock, ModalView, Option, PlainTextOption } from '@slack/types';
import { networkLabel, toolLabel } from '../../rules/advice';
import { CONNECTION_KINDS, MAX_NAME_LENGTH, NETWORKS, TOOLS, type Connection, type SecurityAttestations } from '../../domain';
import { truncate } from '../mrkdwn';
import { VIEW, CODEC, type ModalMetadata } from '../interactions';

/** block_id = action_id for every field, so a submission reads `values[id][id]`. */
export const CHANNEL_FIELD = {
  network: 'network',
  kind: 'kind',
  tool: 'tool',
  name: 'name',
  url: 'url',
  owner: 'owner',
  connectedAt: 'connected_at',
  lastRefreshedAt: 'last_refreshed_at',
  ownerLastActiveAt: 'owner_last_active_at',
  backups: 'backups',
  notes: 'notes',
} as const;

export const SECURITY_FIELD: Record<keyof SecurityAttestations, { id: string; question: string }> = {
  sharedLogin: { id: 'sec_shared_login', question: 'Connected through a shared login?' },
  twoFactor: { id: 'sec_two_factor', question: "Owner's account has two-step verification?" },
  ownerSuperAdmin: { id: 'sec_owner_super_admin', question: 'Owner is a Super Admin (full admin) of the Page?' },
  permissionsGranted: { id: 'sec_permissions_granted', question: 'Every permission granted to the tool?' },
};

export { MAX_NAME_LENGTH };

/** The tool option meaning "none recorded": a chosen select cannot be emptied again in Slack. */
export const NO_TOOL = 'none';

const text = (t: string) => ({ type: 'plain_text' as const, text: t });
const option = (label: string, value: string): PlainTextOption => ({ text: text(label), value });
const YES_NO = [option('Yes', 'yes'), option('No', 'no'), option('Unknown', 'unknown')];

function answerOf(value: boolean | null | undefined): Option {
  return YES_NO[value === true ? 0 : value === false ? 1 : 2]!;
}

export function buildChannelModal(metadata: ModalMetadata, existing?: Connection): ModalView {
  const networkOptions = NETWORKS.map((n) => option(networkLabel(n), n));
  const kindOptions = CONNECTION_KINDS.map((k) => option(k.replace(/_/g, ' '), k));
  const toolOptions = [...TOOLS.map((t) => option(t === 'other' ? 'Another tool' : toolLabel(t), t)), option('Not recorded', NO_TOOL)];
  const input = (blockId: string, label: string, element: InputBlock['element'], optional = false, hint?: string): InputBlock => ({
    type: 'input',
    block_id: blockId,
    label: text(label),
    element,
    optional,
    ...(hint ? { hint: text(hint) } : {}),
  });
  const date = (id: string, value: string | null | undefined) => ({ type: 'datepicker' as const, action_id: id, ...(value ? { initial_date: value } : {}) });
  const blocks: InputBlock[] = [
    input(CHANNEL_FIELD.network, 'Network', {
      type: 'static_select',
      action_id: CHANNEL_FIELD.network,
      options: networkOptions,
      initial_option: networkOptions.find((o) => o.value === (existing?.network ?? 'linkedin')),
    }),
    input(CHANNEL_FIELD.kind, 'Kind', {
      type: 'static_select',
      action_id: CHANNEL_FIELD.kind,
      options: kindOptions,
      initial_option: kindOptions.find((o) => o.value === (existing?.kind ?? 'company_page')),
    }),
    input(
      CHANNEL_FIELD.tool,
      'Held in (social media tool)',
      {
        type: 'static_select',
        action_id: CHANNEL_FIELD.tool,
        options: toolOptions,
        ...(existing?.tool ? { initial_option: toolOptions.find((o) => o.value === existing.tool) } : {}),
      },
      true,
      'The tool the channel is connected in: its rules and advice then apply.',
    ),
    input(
      CHANNEL_FIELD.name,
      'Name',
      {
        type: 'plain_text_input',
        action_id: CHANNEL_FIELD.name,
        max_length: Math.max(MAX_NAME_LENGTH, existing?.name.length ?? 0),
        ...(existing ? { initial_value: existing.name } : {}),
      },
      false,
      'As your social media tool shows it, e.g. Acme Corp',
    ),
    input(
      CHANNEL_FIELD.url,
      'URL',
      { type: 'url_text_input', action_id: CHANNEL_FIELD.url, ...(existing?.url ? { initial_value: truncate(existing.url, 3000) } : {}) },
      true,
    ),
    input(CHANNEL_FIELD.owner, 'Owner (who connected it)', {
      type: 'users_select',
      action_id: CHANNEL_FIELD.owner,
      ...(existing?.ownerId ? { initial_user: existing.ownerId } : {}),
    }),
    input(CHANNEL_FIELD.connectedAt, 'Connected on', date(CHANNEL_FIELD.connectedAt, existing?.connectedAt)),
    input(CHANNEL_FIELD.lastRefreshedAt, 'Last refreshed', date(CHANNEL_FIELD.lastRefreshedAt, existing?.lastRefreshedAt), true),
    input(CHANNEL_FIELD.ownerLastActiveAt, 'Owner last active on the network', date(CHANNEL_FIELD.ownerLastActiveAt, existing?.ownerLastActiveAt), true),
    ...(existing
      ? []
      : [input(CHANNEL_FIELD.backups, 'Backup admins', { type: 'multi_users_select', action_id: CHANNEL_FIELD.backups, max_selected_items: 10 }, true)]),
    ...Object.entries(SECURITY_FIELD).map(([key, { id, question }]) =>
      input(id, question, {
        type: 'radio_buttons',
        action_id: id,
        options: YES_NO,
        initial_option: answerOf(existing?.security[key as keyof SecurityAttestations]),
      }),
    ),
    input(
      CHANNEL_FIELD.notes,
      'Notes',
      {
        type: 'plain_text_input',
        action_id: CHANNEL_FIELD.notes,
        multiline: true,
        max_length: Math.max(2000, existing?.notes?.length ?? 0),
        ...(existing?.notes ? { initial_value: existing.notes } : {}),
      },
      true,
    ),
  ];
  return {
    type: 'modal',
    callback_id: existing ? VIEW.editChannel : VIEW.addChannel,
    private_metadata: CODEC.modal.encode(existing ? { ...metadata, connectionId: existing.id } : metadata),
    title: text(existing ? 'Edit channel' : 'Add a channel'),
    submit: text('Save'),
    close: text('Cancel'),
    blocks,
  };
}

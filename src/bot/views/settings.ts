/** The settings modal: every field checked with the shared validators; one audit event lists what changed. */
import type { App } from '@slack/bolt';
import { parseLadder, validateCheckTime, validatePolicyOverrides, validateTimeZone } from '../../checks';
import { isChannelId, type PolicyOverrides } from '../../domain';
import type { WorkspaceSettings } from '../../store';
import { notifyWorkspaceChanged } from '../actor';
import { assertMay } from '../authorize';
import { VIEW } from '../blocks/action-ids';
import { SETTINGS_FIELD } from '../blocks/settings-modal';
import type { BotDeps } from '../deps';
import { mention } from '../mrkdwn';
import { field, FieldError, textOf, type FieldErrors } from './submission';
import { submissionListener } from './submission';

export function registerSettings(app: App, deps: BotDeps): void {
  app.view(
    VIEW.settings,
    submissionListener(deps, async ({ workspace, actor, values }) => {
      assertMay(actor, 'admin', 'change settings');
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
      if (Object.keys(errors).length || !zone.ok || !time.ok || !checked.ok) throw new FieldError(errors);
      const next: WorkspaceSettings = { alertChannel, timeZone: zone.value, checkTime: time.value, policyOverrides: checked.value };
      const changed = diff({ ...workspace }, next);
      await deps.store.transaction(async (tx) => {
        await tx.workspaces.updateSettings(workspace.id, next);
        await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'settings.change', details: { changed }, at: deps.now() });
        // Saving is what an admin does after fixing a failed delivery (a new channel, the bot invited): try those again.
        await tx.warnings.retryFailed(workspace.id);
      });
      await notifyWorkspaceChanged(deps, workspace.id);
      return { note: `:gear: ${mention(actor.userId)} saved the settings: alerts in <#${alertChannel}>, checks daily at ${time.value} (${zone.value}).` };
    }),
  );
}

function diff(before: Record<string, unknown>, after: WorkspaceSettings): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(after)) {
    const from = before[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}

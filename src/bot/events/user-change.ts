import type { App } from '@slack/bolt';
import type { BotDeps } from '../deps';

/**
 * A deactivated (or reactivated) Slack account changes whether its channels' owner is "gone".
 * Events API retries carry the same event id: it is recorded so a retry changes nothing twice.
 */
export function registerUserChange(app: App, deps: BotDeps): void {
  app.event('user_change', async ({ event, body }) => {
    const envelope = body as { team_id?: string; event_id?: string };
    const teamId = envelope.team_id ?? event.user.team_id;
    if (!teamId) return;
    if (envelope.event_id && !(await deps.store.events.markProcessed(envelope.event_id, teamId, deps.now()))) return;
    const known = await deps.store.members.find(teamId, event.user.id);
    const active = event.user.deleted !== true;
    if (known?.active === active) return;
    // Someone the bot never met matters only when a channel names them as owner or backup.
    if (!known && !(await deps.store.connections.list(teamId, { involving: event.user.id })).length) return;
    await deps.store.members.upsert(teamId, event.user.id, { active, name: event.user.real_name ?? event.user.name ?? null });
    await deps.store.audit.append({ workspaceId: teamId, actorId: 'system', action: active ? 'member.reactivated' : 'member.deactivated', details: { userId: event.user.id }, at: deps.now() });
    // Their channels' "owner gone" warnings go out now, not at tomorrow's check; in the background,
    // so Slack's event is answered at once.
    if (!active && deps.checkNow) {
      void deps.checkNow(teamId).catch((error: unknown) => deps.logger.error({ err: error, workspace: teamId }, 'check after a deactivation failed'));
    }
  });
}

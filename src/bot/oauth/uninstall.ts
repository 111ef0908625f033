/**
 * Bolt does nothing when the app is uninstalled or its tokens revoked: these listeners stop the
 * workspace's checks and delivery and mark it uninstalled (data kept for UNINSTALL_RETENTION_DAYS).
 * Slack sends both, in either order; marking twice changes nothing.
 */
import type { BotDeps } from '../deps';
import type { KeeperApp } from '../identity';
import { markUninstalled } from './installation-store';
import type { Installations } from '../../services/installations';

export const UNINSTALL_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

interface Envelope {
  team_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: boolean;
  event?: { tokens?: { bot?: string[] } };
}

export function registerUninstall(app: KeeperApp, deps: BotDeps, installations: Installations): void {
  const stop = async (body: Envelope) => {
    const orgWide = body.is_enterprise_install === true;
    const key = { enterpriseId: body.enterprise_id ?? null, teamId: orgWide ? null : (body.team_id ?? null) };
    if (!key.teamId && !key.enterpriseId) return;
    const ids = await markUninstalled({ ...deps, installations }, key);
    for (const id of ids) await deps.onWorkspaceChanged?.(id);
  };
  app.event('app_uninstalled', async ({ body }) => stop(body as Envelope));
  app.event('tokens_revoked', async ({ body }) => {
    const envelope = body as Envelope;
    // Only the bot's tokens matter: a user token revoked leaves the bot installed.
    if (!envelope.event?.tokens?.bot?.length) return;
    await stop(envelope);
  });
}

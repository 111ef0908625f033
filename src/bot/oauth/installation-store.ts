/**
 * Bolt's installation store and OAuth state store over the database (src/store). Bolt calls
 * `storeInstallation` at the end of an install, `fetchInstallation` to authorize every incoming
 * request, and `deleteInstallation` on request. The token Bolt is handed is already fresh (see
 * tokens.ts), and without its refresh token: Bolt then never exchanges a refresh token itself, so
 * the one serialised refresh is the only one.
 */
import { randomBytes } from 'node:crypto';
import type { Installation, InstallationQuery, InstallationStore, InstallURLOptions, StateStore } from '@slack/bolt';
import type { Logger } from '../../logger';
import type { ServiceDeps } from '../../services/deps';
import {
  markUninstalled as stopInstallation,
  recordInstallation,
  recordOrgWorkspace,
  type InstallationRecord,
  type Installations,
} from '../../services/installations';
import type { WorkspaceTokens } from './tokens';

/** How long an install started at /slack/install may take to come back. */
export const STATE_TTL_MS = 10 * 60_000;

export interface InstallationStoreDeps extends Pick<ServiceDeps, 'store'> {
  installations: Installations;
  tokens: WorkspaceTokens;
  now: () => Date;
  logger: Logger;
  /** Told of every installed (or reinstalled) workspace: the scheduler's seam. */
  onInstalled?: (workspaceId: string) => Promise<void>;
}

export function databaseInstallationStore(deps: InstallationStoreDeps): InstallationStore {
  return {
    async storeInstallation(installation) {
      const record = toRecord(installation as Installation<'v1' | 'v2', boolean>, deps.now());
      for (const workspaceId of await recordInstallation(deps, deps.installations, record)) await deps.onInstalled?.(workspaceId);
      deps.logger.info({ team: record.teamId, enterprise: record.enterpriseId, scopes: record.botScopes, rotation: record.botExpiresAt !== null }, 'installed');
    },

    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found =
        query.isEnterpriseInstall && query.enterpriseId
          ? await deps.installations.findForOrgWorkspace(query.enterpriseId, query.teamId ?? null, async (workspaceId) => {
              // A workspace of the org, served from now on (its checks scheduled).
              await recordOrgWorkspace(deps, workspaceId);
              await deps.onInstalled?.(workspaceId);
            })
          : query.teamId
            ? await deps.installations.findForWorkspace(query.teamId, query.enterpriseId ?? null)
            : null;
      if (!found) throw new Error(`no installation for ${query.teamId ?? query.enterpriseId ?? 'this request'}`);
      const fresh = await deps.tokens.fresh(found);
      return {
        team: fresh.teamId ? { id: fresh.teamId, name: fresh.teamName ?? undefined } : undefined,
        enterprise: fresh.enterpriseId ? { id: fresh.enterpriseId, name: fresh.enterpriseName ?? undefined } : undefined,
        isEnterpriseInstall: fresh.isEnterpriseInstall,
        appId: fresh.appId ?? undefined,
        bot: { token: fresh.botToken, userId: fresh.botUserId ?? '', id: fresh.botId ?? '', scopes: fresh.botScopes },
        user: { id: fresh.installerUserId ?? '', token: undefined, scopes: undefined },
        tokenType: 'bot',
      } as Installation<'v2', boolean>;
    },

    async deleteInstallation(query: InstallationQuery<boolean>) {
      await markUninstalled(deps, { enterpriseId: query.enterpriseId ?? null, teamId: query.isEnterpriseInstall ? null : (query.teamId ?? null) });
    },
  };
}

/** app_uninstalled / tokens_revoked: the installation and its workspaces stop; data kept for the retention period. */
export async function markUninstalled(
  deps: Pick<InstallationStoreDeps, 'store' | 'installations' | 'now' | 'logger'>,
  key: { enterpriseId: string | null; teamId: string | null },
): Promise<string[]> {
  const ids = await stopInstallation(deps, deps.installations, key);
  deps.logger.info(
    { team: key.teamId, enterprise: key.enterpriseId, workspaces: ids },
    'uninstalled: checks and delivery stopped, data kept for the retention period',
  );
  return ids;
}

function toRecord(installation: Installation<'v1' | 'v2', boolean>, now: Date): InstallationRecord {
  const bot = installation.bot;
  if (!bot?.token) throw new Error('the installation has no bot token: the app must ask for bot scopes');
  const isEnterpriseInstall = installation.isEnterpriseInstall === true;
  return {
    enterpriseId: installation.enterprise?.id ?? null,
    teamId: isEnterpriseInstall ? null : (installation.team?.id ?? null),
    isEnterpriseInstall,
    teamName: installation.team?.name ?? null,
    enterpriseName: installation.enterprise?.name ?? null,
    appId: installation.appId ?? null,
    botToken: bot.token,
    botId: bot.id ?? null,
    botUserId: bot.userId ?? null,
    botScopes: bot.scopes ?? [],
    botRefreshToken: bot.refreshToken ?? null,
    // Seconds, as Bolt computes it (now + expires_in); never milliseconds.
    botExpiresAt: bot.expiresAt ?? null,
    installerUserId: installation.user?.id ?? null,
    installedAt: now,
  };
}

/** OAuth state kept server-side: a random value, consumed once, expiring after `STATE_TTL_MS`. */
export function databaseStateStore(deps: { installations: Installations; now: () => Date }): StateStore {
  return {
    async generateStateParam(installOptions: InstallURLOptions, now: Date) {
      const state = randomBytes(24).toString('base64url');
      await deps.installations.saveState(state, installOptions, new Date(now.getTime() + STATE_TTL_MS));
      return state;
    },
    async verifyStateParam(now: Date, state: string) {
      const options = typeof state === 'string' && state ? await deps.installations.takeState(state, now) : null;
      if (!options)
        throw Object.assign(new Error('The OAuth state is unknown, used already or expired: start the install again'), { code: 'slack_oauth_invalid_state' });
      return options as InstallURLOptions;
    },
  };
}

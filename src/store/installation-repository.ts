/**
 * Slack installations (multi-workspace mode) and the OAuth state of installs in progress. Tokens
 * are encrypted on the way in and decrypted on the way out (token-cipher.ts); the rest of the app
 * never sees ciphertext, and nothing here logs a token.
 */
import { isUniqueViolation, type Db, type Tx } from './client';
import type { TokenCipher } from './token-cipher';

/** Where an installation applies: one workspace, or (org-wide) every workspace of an Enterprise Grid org. */
export interface InstallationKey {
  enterpriseId: string | null;
  /** Null for an org-wide install. */
  teamId: string | null;
}

export interface InstallationRecord extends InstallationKey {
  isEnterpriseInstall: boolean;
  teamName: string | null;
  enterpriseName: string | null;
  appId: string | null;
  botToken: string;
  botId: string | null;
  botUserId: string | null;
  botScopes: string[];
  botRefreshToken: string | null;
  /** Seconds since the epoch (as Slack's `expires_in` and Bolt count), null without token rotation. */
  botExpiresAt: number | null;
  installerUserId: string | null;
  installedAt: Date;
}

export interface StoredInstallation extends InstallationRecord {
  /** The stored refresh token as written: a refresh claim and its result are conditional on it. */
  refreshStamp: string | null;
}

export interface InstallationState extends InstallationKey {
  teamName: string | null;
  installedAt: Date;
  uninstalledAt: Date | null;
  botExpiresAt: number | null;
  installerUserId: string | null;
}

export interface RefreshedTokens {
  botToken: string;
  botRefreshToken: string;
  botExpiresAt: number;
}

type Row = {
  enterpriseId: string;
  teamId: string;
  isEnterpriseInstall: boolean;
  teamName: string | null;
  enterpriseName: string | null;
  appId: string | null;
  botToken: string | null;
  botId: string | null;
  botUserId: string | null;
  botScopes: string;
  botRefreshToken: string | null;
  botExpiresAt: number | null;
  installerUserId: string | null;
  installedAt: Date;
  uninstalledAt: Date | null;
};

/** Installs started at /slack/install and not finished yet, kept at most. */
export const MAX_UNFINISHED_INSTALLS = 1_000;

const keyOf = (key: InstallationKey) => ({ enterpriseId: key.enterpriseId ?? '', teamId: key.teamId ?? '' });

export class InstallationRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly cipher: TokenCipher | null = null,
  ) {}

  private get tokens(): TokenCipher {
    if (!this.cipher) throw new Error('installation tokens need TOKEN_ENCRYPTION_KEY');
    return this.cipher;
  }

  /** Stores (or replaces) an installation: a reinstall makes it live again. */
  async save(record: InstallationRecord, now: Date): Promise<void> {
    const data = {
      isEnterpriseInstall: record.isEnterpriseInstall,
      teamName: record.teamName,
      enterpriseName: record.enterpriseName,
      appId: record.appId,
      botToken: this.tokens.encrypt(record.botToken),
      botId: record.botId,
      botUserId: record.botUserId,
      botScopes: record.botScopes.join(','),
      botRefreshToken: record.botRefreshToken ? this.tokens.encrypt(record.botRefreshToken) : null,
      botExpiresAt: record.botExpiresAt,
      installerUserId: record.installerUserId,
      installedAt: record.installedAt,
      uninstalledAt: null,
      refreshClaimedUntil: null,
      updatedAt: now,
    };
    const key = keyOf(record);
    await this.db.installation.upsert({ where: { enterpriseId_teamId: key }, create: { ...key, ...data }, update: data });
    // An org-wide reinstall serves again the workspaces its uninstall stopped.
    if (record.isEnterpriseInstall && !record.teamId) {
      await this.db.installation.updateMany({
        where: { enterpriseId: key.enterpriseId, isEnterpriseInstall: true, teamId: { not: '' } },
        data: { uninstalledAt: null, updatedAt: now },
      });
    }
  }

  /** A live installation (not uninstalled), tokens decrypted. */
  async find(key: InstallationKey): Promise<StoredInstallation | null> {
    const row = await this.db.installation.findUnique({ where: { enterpriseId_teamId: keyOf(key) } });
    return row ? this.toRecord(row) : null;
  }

  /**
   * The installation whose token serves a workspace: its own, else its org's org-wide one (found
   * through the org a request names, or the one recorded as serving this workspace).
   */
  async findForWorkspace(workspaceId: string, enterpriseId: string | null = null): Promise<StoredInstallation | null> {
    const rows = await this.db.installation.findMany({ where: { teamId: workspaceId, uninstalledAt: null }, orderBy: { installedAt: 'desc' } });
    const own = rows.find((row) => !row.isEnterpriseInstall);
    if (own) return this.toRecord(own);
    const org = enterpriseId ?? rows.find((row) => row.isEnterpriseInstall)?.enterpriseId ?? workspaceId;
    return this.findForOrgWorkspace(org, org === workspaceId ? null : workspaceId);
  }

  /**
   * An org-wide installation, for a request from `teamId` (one of the org's workspaces, null for
   * the org itself). The first time it serves a workspace, a row without tokens records that it
   * does (enterprise id, team id, org-wide): the org's uninstall then stops that workspace too, and
   * background work for the workspace finds the org's token.
   */
  async findForOrgWorkspace(
    enterpriseId: string,
    teamId: string | null,
    /** Told when this is the first time the installation serves `teamId` (or again after its uninstall). */
    onFirstServed?: (teamId: string) => Promise<void>,
  ): Promise<StoredInstallation | null> {
    const rows = await this.db.installation.findMany({ where: { enterpriseId, teamId: { in: teamId ? ['', teamId] : [''] } } });
    const org = rows.find((row) => row.teamId === '' && row.isEnterpriseInstall && !row.uninstalledAt && row.botToken);
    if (!org) return null;
    const served = teamId ? rows.find((row) => row.teamId === teamId) : undefined;
    if (teamId && (!served || served.uninstalledAt)) {
      await this.recordServed(enterpriseId, teamId, org.installedAt);
      await onFirstServed?.(teamId);
    }
    return this.toRecord(org);
  }

  /** The workspaces recorded as served by the org-wide installation of `enterpriseId`. */
  async servedBy(enterpriseId: string): Promise<string[]> {
    const rows = await this.db.installation.findMany({
      where: { enterpriseId, isEnterpriseInstall: true, teamId: { not: '' } },
      select: { teamId: true },
      orderBy: { teamId: 'asc' },
    });
    return rows.map((row) => row.teamId);
  }

  private async recordServed(enterpriseId: string, teamId: string, installedAt: Date): Promise<void> {
    const served = { isEnterpriseInstall: true, botToken: null, botRefreshToken: null, botExpiresAt: null, refreshClaimedUntil: null, uninstalledAt: null };
    try {
      await this.db.installation.upsert({
        where: { enterpriseId_teamId: { enterpriseId, teamId } },
        create: { enterpriseId, teamId, installedAt, ...served },
        update: { installedAt, ...served },
      });
    } catch (error) {
      // Another request recorded it at the same moment: what it wrote is the same.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  /**
   * Claims the refresh of an installation's token until `until`: true for exactly one caller while
   * the stored refresh token is still `stamp` and nobody else holds an unexpired claim.
   */
  async claimRefresh(key: InstallationKey, stamp: string, now: Date, until: Date): Promise<boolean> {
    const { count } = await this.db.installation.updateMany({
      where: { ...keyOf(key), botRefreshToken: stamp, uninstalledAt: null, OR: [{ refreshClaimedUntil: null }, { refreshClaimedUntil: { lt: now } }] },
      data: { refreshClaimedUntil: until },
    });
    return count === 1;
  }

  /**
   * Writes the exchanged tokens and ends the claim: false when the installation no longer holds
   * the refresh token that was exchanged (another refresh or a reinstall came first, or it was
   * uninstalled). A stored value only re-encrypted meanwhile (a key rotation's rewrite on a replica
   * that did not wait for the claim) is still the same token: the new ones are written then.
   */
  async completeRefresh(key: InstallationKey, stamp: string, tokens: RefreshedTokens, now: Date, exchanged?: string): Promise<boolean> {
    const data = {
      botToken: this.tokens.encrypt(tokens.botToken),
      botRefreshToken: this.tokens.encrypt(tokens.botRefreshToken),
      botExpiresAt: tokens.botExpiresAt,
      refreshClaimedUntil: null,
      updatedAt: now,
    };
    const { count } = await this.db.installation.updateMany({ where: { ...keyOf(key), botRefreshToken: stamp }, data });
    if (count === 1 || exchanged === undefined) return count === 1;
    const row = await this.db.installation.findUnique({ where: { enterpriseId_teamId: keyOf(key) }, select: { botRefreshToken: true, uninstalledAt: true } });
    if (!row?.botRefreshToken || row.uninstalledAt || this.readOrNull(row.botRefreshToken) !== exchanged) return false;
    const again = await this.db.installation.updateMany({ where: { ...keyOf(key), botRefreshToken: row.botRefreshToken, uninstalledAt: null }, data });
    return again.count === 1;
  }

  /** Ends a claim whose exchange failed, so another attempt may claim it. */
  async releaseRefresh(key: InstallationKey, stamp: string): Promise<void> {
    await this.db.installation.updateMany({ where: { ...keyOf(key), botRefreshToken: stamp }, data: { refreshClaimedUntil: null } });
  }

  /**
   * The app was uninstalled or its tokens revoked: the tokens are dropped (Slack has revoked them)
   * and the installation kept, marked, for the retention period. Returns the workspace ids it served.
   */
  async markUninstalled(key: InstallationKey, now: Date): Promise<string[]> {
    // Org-wide: the org's own row and every workspace recorded as served by it.
    const where = key.teamId
      ? { teamId: key.teamId }
      : { enterpriseId: key.enterpriseId ?? '', OR: [{ teamId: '' }, { teamId: { not: '' }, isEnterpriseInstall: true }] };
    const rows = await this.db.installation.findMany({ where, select: { teamId: true } });
    await this.db.installation.updateMany({
      where: { ...where, uninstalledAt: null },
      data: { botToken: null, botRefreshToken: null, botExpiresAt: null, refreshClaimedUntil: null, uninstalledAt: now, updatedAt: now },
    });
    return [...new Set(rows.map((r) => r.teamId).filter(Boolean))];
  }

  /** Every installation, live or not, without its tokens (`channel-keeper workspaces`). */
  async listStates(): Promise<InstallationState[]> {
    const rows = await this.db.installation.findMany({ orderBy: [{ teamId: 'asc' }, { enterpriseId: 'asc' }] });
    return rows.map((r) => ({
      enterpriseId: r.enterpriseId || null,
      teamId: r.teamId || null,
      teamName: r.teamName ?? r.enterpriseName,
      installedAt: r.installedAt,
      uninstalledAt: r.uninstalledAt,
      botExpiresAt: r.botExpiresAt,
      installerUserId: r.installerUserId,
    }));
  }

  /**
   * Whether the stored bot tokens can be read with the configured keys, tried on the `sample` most
   * recently installed live installations: `none` when there is no live one yet, `readable` when
   * one decrypts, `unreadable` when none does (a wrong TOKEN_ENCRYPTION_KEY).
   */
  async tokensReadable(sample = 20): Promise<'none' | 'readable' | 'unreadable'> {
    const rows = await this.db.installation.findMany({
      where: { uninstalledAt: null, botToken: { not: null } },
      orderBy: { installedAt: 'desc' },
      take: sample,
      select: { botToken: true },
    });
    if (!rows.length) return 'none';
    for (const row of rows) {
      try {
        this.tokens.decrypt(row.botToken!);
        return 'readable';
      } catch {
        // The next one may have been written under a key still configured.
      }
    }
    return 'unreadable';
  }

  /** Forgets installations uninstalled before `before` (the retention period is over). */
  async purgeUninstalled(before: Date): Promise<number> {
    const { count } = await this.db.installation.deleteMany({ where: { uninstalledAt: { lt: before } } });
    return count;
  }

  /**
   * Re-encrypts every token written under a previous key with the current one (never one written
   * under a next key: see token-cipher.ts). A row whose refresh is claimed (`refreshClaimedUntil`
   * after `now`; without `now`, any claim) is left for the next pass: the refresh in flight writes
   * its new tokens conditionally on the value it read. Returns how many rows changed, how many
   * were deferred that way, and how many neither key reads (they stay as they are: that workspace
   * reinstalls).
   */
  async rewriteTokens(now?: Date): Promise<{ rewritten: number; deferred: number; unreadable: number }> {
    const unclaimed = now ? [{ refreshClaimedUntil: null }, { refreshClaimedUntil: { lt: now } }] : [{ refreshClaimedUntil: null }];
    const rows = await this.db.installation.findMany({ where: { botToken: { not: null } } });
    const result = { rewritten: 0, deferred: 0, unreadable: 0 };
    for (const row of rows) {
      if (!this.tokens.isOutdated(row.botToken!) && (!row.botRefreshToken || !this.tokens.isOutdated(row.botRefreshToken))) continue;
      if (row.refreshClaimedUntil && (!now || row.refreshClaimedUntil >= now)) {
        result.deferred += 1;
        continue;
      }
      let data: { botToken: string; botRefreshToken: string | null };
      try {
        data = {
          botToken: this.tokens.encrypt(this.tokens.decrypt(row.botToken!)),
          botRefreshToken: row.botRefreshToken ? this.tokens.encrypt(this.tokens.decrypt(row.botRefreshToken)) : null,
        };
      } catch {
        result.unreadable += 1;
        continue;
      }
      // Conditional on the values read and on no claim: a refresh meanwhile wins, and is rewritten next pass.
      const { count } = await this.db.installation.updateMany({
        where: { enterpriseId: row.enterpriseId, teamId: row.teamId, botToken: row.botToken, botRefreshToken: row.botRefreshToken, OR: unclaimed },
        data,
      });
      if (count) result.rewritten += count;
      else result.deferred += 1;
    }
    return result;
  }

  /**
   * OAuth state issued by /slack/install, until `expiresAt`. At most `MAX_UNFINISHED_INSTALLS`
   * are kept: past it the oldest go (their install must start again), so a flood of install
   * pages cannot grow the table without bound.
   */
  async saveState(state: string, installOptions: unknown, expiresAt: Date): Promise<void> {
    await this.db.oAuthState.create({ data: { state, installOptions: JSON.stringify(installOptions ?? {}), expiresAt } });
    // Every state lives as long, so the soonest to expire are the oldest.
    const beyond = await this.db.oAuthState.findMany({
      orderBy: [{ expiresAt: 'desc' }, { state: 'asc' }],
      skip: MAX_UNFINISHED_INSTALLS,
      select: { state: true },
    });
    if (beyond.length) await this.db.oAuthState.deleteMany({ where: { state: { in: beyond.map((row) => row.state) } } });
  }

  /** Deletes the OAuth state of installs that were never finished; returns how many. */
  async purgeExpiredStates(now: Date): Promise<number> {
    const { count } = await this.db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
    return count;
  }

  /** Consumes a state once: its install options, or null when unknown, used already or expired. */
  async takeState(state: string, now: Date): Promise<unknown> {
    const row = await this.db.oAuthState.findUnique({ where: { state } });
    if (!row) return null;
    const { count } = await this.db.oAuthState.deleteMany({ where: { state } });
    await this.db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
    if (count !== 1 || row.expiresAt < now) return null;
    return JSON.parse(row.installOptions) as unknown;
  }

  private readOrNull(stored: string): string | null {
    try {
      return this.tokens.decrypt(stored);
    } catch {
      return null;
    }
  }

  private toRecord(row: Row): StoredInstallation | null {
    if (row.uninstalledAt || !row.botToken) return null;
    return {
      enterpriseId: row.enterpriseId || null,
      teamId: row.teamId || null,
      isEnterpriseInstall: row.isEnterpriseInstall,
      teamName: row.teamName,
      enterpriseName: row.enterpriseName,
      appId: row.appId,
      botToken: this.tokens.decrypt(row.botToken),
      botId: row.botId,
      botUserId: row.botUserId,
      botScopes: row.botScopes ? row.botScopes.split(',') : [],
      botRefreshToken: row.botRefreshToken ? this.tokens.decrypt(row.botRefreshToken) : null,
      botExpiresAt: row.botExpiresAt,
      installerUserId: row.installerUserId,
      installedAt: row.installedAt,
      refreshStamp: row.botRefreshToken,
    };
  }
}

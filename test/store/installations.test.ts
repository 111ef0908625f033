/**
 * Installations at rest: tokens are AES-256-GCM ciphertext, unreadable under another key and
 * refused when altered; a rotated key still reads the old ciphertext and `rewriteTokens` moves it
 * to the new key; `channel-keeper workspaces` shows each workspace's state.
 */
import { randomBytes } from 'node:crypto';
import { describeWorkspaces } from '../../src/cli/workspaces';
import type { InstallationRecord } from '../../src/store/installation-repository';
import { TokenCipher } from '../../src/store/token-cipher';
import { describeEachDatabase, uniqueId } from '../support/databases';

const NOW = new Date('2026-12-01T10:00:00Z');
const OLD = randomBytes(32);
const NEW = randomBytes(32);

function record(teamId: string, token: string): InstallationRecord {
  return {
    enterpriseId: null,
    teamId,
    isEnterpriseInstall: false,
    teamName: 'Team',
    enterpriseName: null,
    appId: 'A1',
    botToken: token,
    botId: 'B1',
    botUserId: 'U1',
    botScopes: ['chat:write'],
    botRefreshToken: `${token}-refresh`,
    botExpiresAt: 1_800_000_000,
    installerUserId: 'UINSTALLER',
    installedAt: NOW,
  };
}

describe('TokenCipher', () => {
  it('round-trips, never writes the plain text, and uses a fresh IV each time', () => {
    const cipher = new TokenCipher(NEW);
    const a = cipher.encrypt('xoxb-secret');
    expect(a).not.toContain('xoxb-secret');
    expect(cipher.encrypt('xoxb-secret')).not.toBe(a);
    expect(cipher.decrypt(a)).toBe('xoxb-secret');
  });

  it('refuses altered ciphertext and ciphertext of an unknown key', () => {
    const cipher = new TokenCipher(NEW);
    const parts = cipher.encrypt('xoxb-secret').split('.');
    const body = Buffer.from(parts[4]!, 'base64url');
    body[0]! ^= 1;
    parts[4] = body.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new TokenCipher(OLD).decrypt(cipher.encrypt('x'))).toThrow(/another TOKEN_ENCRYPTION_KEY/);
  });
});

describeEachDatabase('installations', (db) => {
  it('after a key rotation, reads tokens written under the previous key and rewrites them under the new one', async () => {
    const { store } = db();
    const team = uniqueId('T');
    await store.installations({ current: OLD }).save(record(team, 'xoxb-rotate'), NOW);

    const rotated = store.installations({ current: NEW, previous: OLD });
    expect((await rotated.findForWorkspace(team))?.botToken).toBe('xoxb-rotate');
    // Other suites' rows (other keys) share PostgreSQL's database: they are left as they are.
    expect((await rotated.rewriteTokens()).rewritten).toBeGreaterThanOrEqual(1);
    expect((await rotated.rewriteTokens()).rewritten).toBe(0);
    const newOnly = store.installations({ current: NEW });
    expect(await newOnly.findForWorkspace(team)).toMatchObject({
      botToken: 'xoxb-rotate',
      botRefreshToken: 'xoxb-rotate-refresh',
      botExpiresAt: 1_800_000_000,
    });
  });

  it('workspaces lists each workspace with its state: installed, uninstalled, or no installation', async () => {
    const { store } = db();
    const repo = store.installations({ current: NEW });
    const [installed, gone, plain] = [uniqueId('T'), uniqueId('T'), uniqueId('T')];
    for (const id of [installed, gone, plain]) await store.workspaces.ensure(id, id);
    await repo.save(record(installed, 'xoxb-1'), NOW);
    await repo.save(record(gone, 'xoxb-2'), NOW);
    await repo.markUninstalled({ enterpriseId: null, teamId: gone }, NOW);
    await store.workspaces.setUninstalled(gone, NOW);

    const lines = new Map((await describeWorkspaces(store, NOW, new Set([installed, gone, plain]))).map((l) => [l.workspace, l]));
    expect(lines.get(installed)).toMatchObject({ state: 'installed', uninstalledAt: null });
    expect(lines.get(gone)).toMatchObject({ state: 'uninstalled', uninstalledAt: NOW.toISOString() });
    expect(lines.get(plain)).toMatchObject({ state: 'none' });
  });
});

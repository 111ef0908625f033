/** What `GET /readyz` asks besides the database: every migration in the build is applied, and (multi-workspace mode) the stored tokens can be read. */
import { readMigrationsList } from '../store/migrations/migrations';
import type { ReadinessProbe } from '../bot/app';
import type { Installations } from '../services/installations';
import type { Store } from '../store/store';
import { isMissingTable } from '../store/unmigrated';
import { count } from '../words';

export function migrationsProbe(store: Store): ReadinessProbe {
  const expected = readMigrationsList(store.target.provider).migrationDirectories.map((m) => m.path);
  return {
    name: 'migrations',
    async check() {
      let applied: Set<string>;
      try {
        applied = new Set(await store.appliedMigrations());
      } catch (error) {
        // A database no migration ever ran on has no table to list them in.
        if (isMissingTable(error)) return `no migration applied yet (${count(expected.length, 'migration')} to apply): run "channel-keeper migrate"`;
        throw error;
      }
      const missing = expected.filter((name) => !applied.has(name));
      return missing.length ? `${count(missing.length, 'migration')} not applied: ${missing.join(', ')}` : null;
    },
  };
}

/**
 * Multi-workspace mode: a replica whose TOKEN_ENCRYPTION_KEY reads none of the stored tokens
 * could answer no workspace, so it is not ready. With no installation yet it is: the install
 * page must be reachable for the first one.
 */
export function tokensProbe(installations: Pick<Installations, 'tokensReadable'>): ReadinessProbe {
  return {
    name: 'tokens',
    async check() {
      const state = await installations.tokensReadable();
      return state === 'unreadable'
        ? 'no stored bot token can be decrypted: TOKEN_ENCRYPTION_KEY (or _PREVIOUS, _NEXT) is not the key they were written with'
        : null;
    },
  };
}

/** What `GET /readyz` asks besides the database and Slack: every migration in the build is applied. */
import { readMigrationsList } from '../store/migrations/migrations';
import type { ReadinessProbe } from '../bot/app';
import type { Store } from '../store/store';
import { count } from '../words';

export function migrationsProbe(store: Store): ReadinessProbe {
  const expected = readMigrationsList(store.target.provider).migrationDirectories.map((m) => m.path);
  return {
    name: 'migrations',
    async check() {
      const applied = new Set(await store.appliedMigrations());
      const missing = expected.filter((name) => !applied.has(name));
      return missing.length ? `${count(missing.length, 'migration')} not applied: ${missing.join(', ')}` : null;
    },
  };
}

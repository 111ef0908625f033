import fs from 'node:fs';
import { Client } from 'pg';
import { ADMIN_URL } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  if (process.env.CK_TEST_DIR) fs.rmSync(process.env.CK_TEST_DIR, { recursive: true, force: true });
  const name = process.env.CK_POSTGRES_DB;
  if (name) {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

/** A workspace with one person per role, made directly in the store (no users.info round trip). */
import type { Connection } from '../../../src/domain';
import type { ConnectionInput } from '../../../src/store/connection-repository';
import type { Store } from '../../../src/store/store';
import { uniqueId } from '../../support/databases';
import { connectionInput } from '../../support/factories';
import { writeAdded } from '../../../src/services/channels';

export const ADMIN = 'UADMIN1';
export const LEAD = 'ULEAD1';
export const MEMBER = 'UMEMBER1';
export const OWNER = 'UOWNER1';
export const BACKUP = 'UBACKUP1';

export async function newTeam(store: Store): Promise<string> {
  const team = uniqueId('T');
  await store.workspaces.ensure(team, 'Test team');
  await store.members.upsert(team, ADMIN, { role: 'admin' });
  await store.members.upsert(team, LEAD, { role: 'team_leader' });
  await store.members.upsert(team, MEMBER, { role: 'member' });
  await store.members.upsert(team, OWNER, { role: 'member' });
  await store.members.upsert(team, BACKUP, { role: 'member' });
  return team;
}

export function addChannel(store: Store, team: string, overrides: Partial<ConnectionInput> = {}): Promise<Connection> {
  return writeAdded(store, team, connectionInput({ ownerId: OWNER, connectedAt: '2026-01-10', backups: [BACKUP], ...overrides }), ADMIN);
}

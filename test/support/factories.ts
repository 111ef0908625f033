/** Small factories with sensible defaults, shared by the suites. */
import { NewWarning } from '../../src/domain';
import type { ConnectionInput } from '../../src/store/connection-repository';
import { Store } from '../../src/store/store';
import { uniqueId } from './databases';

export function connectionInput(overrides: Partial<ConnectionInput> = {}): ConnectionInput {
  return {
    network: 'linkedin',
    kind: 'company_page',
    name: `Acme ${uniqueId('')}`,
    url: 'https://www.linkedin.com/company/acme',
    ownerId: 'UOWNER1',
    connectedAt: '2026-01-10',
    ...overrides,
  };
}

export async function newWorkspace(store: Store, id = uniqueId('T')): Promise<string> {
  await store.workspaces.ensure(id, `Workspace ${id}`);
  return id;
}

export function newWarning(workspaceId: string, connectionId: number, overrides: Partial<NewWarning> = {}): NewWarning {
  const stage = overrides.stage ?? '30d';
  const kind = overrides.kind ?? 'expiry';
  const cycle = overrides.cycle ?? '2026-01-10';
  return {
    workspaceId,
    connectionId,
    kind,
    stage,
    severity: 'attention',
    cycle,
    dedupKey: `${connectionId}:${kind}:${stage}:${cycle}`,
    dueAt: '2027-01-10',
    ...overrides,
  };
}

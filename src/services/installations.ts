/**
 * Slack installations (multi-workspace mode): recording an install and an uninstall with the
 * workspaces they serve. The installations themselves (encrypted tokens, their refresh, the OAuth
 * state) are kept by the store's installation repository, opened here with the token keys.
 */
import type { InstallationKey, InstallationRecord, InstallationRepository } from '../store/installation-repository';
import type { ServiceDeps } from './deps';

export type { InstallationKey, InstallationRecord, StoredInstallation } from '../store/installation-repository';

/** The installations, their tokens read and written with `keys` (TOKEN_ENCRYPTION_KEY, _PREVIOUS, _NEXT). */
export type Installations = InstallationRepository;

export function openInstallations(deps: Pick<ServiceDeps, 'store'>, keys: { current: Buffer; previous?: Buffer | null; next?: Buffer | null }): Installations {
  return deps.store.installations(keys);
}

/**
 * An install (or reinstall) is kept; a workspace install also records its workspace as served
 * again, and an org-wide reinstall the workspaces of the org it served before. An org-wide install
 * serves its workspaces as their requests arrive. Returns the workspaces installed.
 */
export async function recordInstallation(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  installations: Installations,
  record: InstallationRecord,
): Promise<string[]> {
  await installations.save(record, deps.now());
  const ids = record.teamId ? [record.teamId] : record.isEnterpriseInstall && record.enterpriseId ? await installations.servedBy(record.enterpriseId) : [];
  if (!ids.length) return ids;
  await deps.store.transaction(async (tx) => {
    for (const id of ids) {
      await tx.workspaces.ensure(id, record.teamId ? record.teamName : null);
      await tx.workspaces.setUninstalled(id, null);
    }
  });
  return ids;
}

/**
 * An org-wide installation serves one of its org's workspaces for the first time (a request from
 * it was authorized with the org's token): the workspace is recorded, and served, from now on.
 */
export async function recordOrgWorkspace(deps: Pick<ServiceDeps, 'store'>, workspaceId: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.ensure(workspaceId);
    await tx.workspaces.setUninstalled(workspaceId, null);
  });
}

/**
 * app_uninstalled / tokens_revoked: the installation and its workspaces stop (data kept for the
 * retention period); an org-wide one stops every workspace of the org it served. Returns the
 * workspaces stopped.
 */
export async function markUninstalled(deps: Pick<ServiceDeps, 'store' | 'now'>, installations: Installations, key: InstallationKey): Promise<string[]> {
  const now = deps.now();
  const workspaces = await installations.markUninstalled(key, now);
  const ids = key.teamId ? [key.teamId] : workspaces;
  for (const id of ids) await deps.store.workspaces.setUninstalled(id, now);
  return ids;
}

/**
 * Slack installations (multi-workspace mode): recording an install and an uninstall with the
 * workspaces they serve. The installations themselves (encrypted tokens, their refresh, the OAuth
 * state) are kept by the store's installation repository, opened here with the token keys.
 */
import type { InstallationKey, InstallationRecord, InstallationRepository } from '../store/installation-repository';
import type { ServiceDeps } from './deps';

export type { InstallationKey, InstallationRecord, StoredInstallation } from '../store/installation-repository';

/** The installations, their tokens read and written with `keys` (TOKEN_ENCRYPTION_KEY, _PREVIOUS). */
export type Installations = InstallationRepository;

export function openInstallations(deps: Pick<ServiceDeps, 'store'>, keys: { current: Buffer; previous?: Buffer | null }): Installations {
  return deps.store.installations(keys);
}

/**
 * An install (or reinstall) is kept; a workspace install also records its workspace as served
 * again. An org-wide install serves its workspaces as their requests arrive. Returns the
 * workspace installed, if any.
 */
export async function recordInstallation(
  deps: Pick<ServiceDeps, 'store' | 'now'>,
  installations: Installations,
  record: InstallationRecord,
): Promise<string | null> {
  await installations.save(record, deps.now());
  const workspaceId = record.teamId;
  if (!workspaceId) return null;
  await deps.store.transaction(async (tx) => {
    await tx.workspaces.ensure(workspaceId, record.teamName);
    await tx.workspaces.setUninstalled(workspaceId, null);
  });
  return workspaceId;
}

/**
 * app_uninstalled / tokens_revoked: the installation and its workspaces stop (data kept for the
 * retention period). Returns the workspaces stopped.
 */
export async function markUninstalled(deps: Pick<ServiceDeps, 'store' | 'now'>, installations: Installations, key: InstallationKey): Promise<string[]> {
  const now = deps.now();
  const workspaces = await installations.markUninstalled(key, now);
  const ids = key.teamId ? [key.teamId] : workspaces;
  for (const id of ids) await deps.store.workspaces.setUninstalled(id, now);
  return ids;
}

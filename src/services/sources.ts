/**
 * Adding, listing and removing a workspace's sources, and the token a connection's introspection
 * uses (docs/sources.md). Admins only; each change is audited without its secret.
 */
import { introspectedBy, type Connection, type SourceKind } from '../domain';
import { networkLabel } from '../rules/advice';
import { ValidationError } from '../errors';
import type { InstallationKeys } from '../store/store';
import type { Observation, SourceStatus } from '../store/source-repository';

export type { Observation } from '../store/source-repository';
import type { Acting, ServiceDeps } from './deps';
import { assertMay } from './permissions';

export interface SourceCredential {
  kind: SourceKind;
  /** The access token or API key (hootsuite, buffer), or the app secret (linkedin-app, meta-app). */
  secret: string;
  refreshSecret?: string | null;
  /** The app's client id or app id (linkedin-app, meta-app). */
  clientId?: string | null;
}

export async function addSource(deps: ServiceDeps, keys: InstallationKeys, { workspace, actor }: Acting, credential: SourceCredential): Promise<void> {
  assertMay(actor, 'admin', 'add a source');
  const app = credential.kind === 'linkedin-app' || credential.kind === 'meta-app';
  if (app && !credential.clientId) throw new ValidationError(`${credential.kind} needs the app's client id: add --client-id <id>`);
  if (!credential.secret.trim()) throw new ValidationError(`the ${app ? 'client secret' : 'token'} for ${credential.kind} is empty`);
  await deps.store.transaction(async (tx) => {
    await tx.sources(keys).save({
      workspaceId: workspace.id,
      kind: credential.kind,
      secret: credential.secret.trim(),
      refreshSecret: credential.refreshSecret?.trim() || null,
      clientId: app ? credential.clientId!.trim() : null,
    });
    await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'source.add', details: { source: credential.kind }, at: deps.now() });
  });
}

/** Whether there was one; the records it created and its observations stay. */
export async function removeSource(deps: ServiceDeps, { workspace, actor }: Acting, kind: SourceKind): Promise<boolean> {
  assertMay(actor, 'admin', 'remove a source');
  return deps.store.transaction(async (tx) => {
    const removed = await tx.sources().remove(workspace.id, kind);
    if (removed) {
      // Dates nobody will keep up to date any more would hide the predicted ones for ever.
      await tx.sources().forgetTokenDates(workspace.id, { from: kind });
      await tx.audit.append({ workspaceId: workspace.id, actorId: actor.userId, action: 'source.remove', details: { source: kind }, at: deps.now() });
    }
    return removed;
  });
}

export function listSources(deps: ServiceDeps, workspaceId: string): Promise<SourceStatus[]> {
  return deps.store.sources().list(workspaceId);
}

/** Sets (token) or removes (null) the token a connection's introspection uses. */
export async function setIntrospectionToken(
  deps: ServiceDeps,
  keys: InstallationKeys | null,
  { workspace, actor }: Acting,
  connection: Connection,
  token: string | null,
): Promise<void> {
  assertMay(actor, 'admin', 'set an introspection token', connection);
  if (token !== null && !token.trim()) throw new ValidationError('the token is empty');
  if (token !== null && introspectedBy(connection.network) === null) {
    throw new ValidationError(
      `${connection.name} is on ${networkLabel(connection.network)}, whose tokens no app can introspect: only LinkedIn (the linkedin-app source) and Facebook, Instagram or Threads (meta-app) tokens can be`,
    );
  }
  await deps.store.transaction(async (tx) => {
    await tx.sources(keys ?? undefined).setIntrospectionToken(workspace.id, connection.id, token === null ? null : token.trim());
    await tx.audit.append({
      workspaceId: workspace.id,
      connectionId: connection.id,
      actorId: actor.userId,
      action: 'source.token',
      details: { set: token !== null },
      at: deps.now(),
    });
  });
}

/** What the sources last observed about one connection, or null when none has. */
export function observationOf(deps: ServiceDeps, workspaceId: string, connectionId: number): Promise<Observation | null> {
  return deps.store.sources().observation(workspaceId, connectionId);
}

/** What the sources last observed about the given connections (a list page), by connection id. */
export async function observationsFor(deps: ServiceDeps, workspaceId: string, connectionIds: readonly number[]): Promise<Map<number, Observation>> {
  if (!connectionIds.length) return new Map();
  return new Map((await deps.store.sources().observations(workspaceId, connectionIds)).map((o) => [o.connectionId, o]));
}

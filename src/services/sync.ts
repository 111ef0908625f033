/**
 * A sync: what the workspace's sources say about its connections, recorded as observed
 * (docs/sources.md). Every source is read first; only a source that answered writes anything, in
 * one transaction of its own, so a failed sync changes nothing. A source never erases what people
 * recorded: it adds records, marks a connection disconnected or reconnected (audited, by the
 * system) and stores its observations beside the record.
 */
import { introspectedBy, nameKeyOf, SOURCE_NAMES, SYSTEM_ACTOR, type Connection, type IsoDate, type SourceKind } from '../domain';
import { NotFoundError } from '../errors';
import { todayIn } from '../rules/calendar';
import { currentObservation } from '../rules/finding-rules';
import type { SourceClients } from '../sources/clients';
import { SourceFailure } from '../sources/http';
import type { TokenState } from '../sources/introspection';
import { urlKey, type ToolProfile } from '../sources/profiles';
import type { InstallationKeys } from '../store/store';
import type { Observation, SourceRecord } from '../store/source-repository';
import { changeConnection } from './connection-change';
import type { ServiceDeps, Store } from './deps';
import type { SourceCounts, SyncedConnection, SyncReport } from './sync-report';

export interface SyncDeps extends ServiceDeps {
  keys: InstallationKeys;
  clients: SourceClients;
}

const emptyCounts = (): SourceCounts => ({ seen: 0, matched: 0, created: 0, disconnected: 0, reconnected: 0, skipped: 0, superseded: 0, dated: 0 });

export interface SyncOptions {
  /** Read and say what would change; nothing is written. */
  dryRun?: boolean;
  /**
   * Whether the caller tells admins (a DM). Only then is the once-only "needs a new credential"
   * notice claimed: a run that cannot tell (no Slack) leaves it for one that can.
   */
  tellsAdmins?: boolean;
}

/** What the sources say, and what changed; with `dryRun`, nothing is written. */
export async function syncWorkspace(deps: SyncDeps, workspaceId: string, options: SyncOptions = {}): Promise<SyncReport> {
  const dryRun = options.dryRun === true;
  const workspace = await deps.store.workspaces.findById(workspaceId);
  if (!workspace) throw new NotFoundError(`no workspace with id ${workspaceId}: "channel-keeper workspaces" lists the ids`);
  const sources = deps.store.sources(deps.keys);
  const credentials = await sources.credentials(workspaceId);
  const report: SyncReport = { workspaceId, dryRun, sources: [], created: [], disconnected: [], reconnected: [] };
  const today = todayIn(deps.now(), workspace.timeZone);
  for (const credential of credentials) {
    const counts = emptyCounts();
    let read: Reading;
    try {
      read = await readSource(deps, credential);
    } catch (error) {
      if (!(error instanceof SourceFailure)) throw error;
      const at = deps.now();
      let tellAdmins = false;
      if (!dryRun) {
        await sources.recordSync(workspaceId, credential.kind, {
          at,
          ok: false,
          error: error.message,
          ...(error.needsCredential ? { needsCredential: true } : {}),
        });
        if (error.needsCredential && options.tellsAdmins !== false) tellAdmins = await sources.claimCredentialNotice(workspaceId, credential.kind, at);
      }
      deps.logger?.warn({ workspaceId, source: credential.kind, needsCredential: error.needsCredential }, 'source sync failed');
      report.sources.push({ source: credential.kind, ok: false, error: error.message, needsCredential: error.needsCredential, tellAdmins, counts });
      continue;
    }
    const apply = async (store: Store) => {
      const connections = await store.connections.list(workspaceId);
      const observations = await store.sources().observations(workspaceId);
      const context: ApplyContext = { deps, store, workspaceId, today, dryRun, report, counts, source: credential.kind, connections, observations };
      if (read.kind === 'tool') await applyProfiles(context, read.profiles, read.skipped);
      else await applyIntrospection(context, read.states);
      if (!dryRun) {
        if (read.refreshed) await store.sources(deps.keys).saveTokens(workspaceId, credential.kind, read.refreshed.accessToken, read.refreshed.refreshToken);
        await store.sources().recordSync(workspaceId, credential.kind, { at: deps.now(), ok: true, counts: { ...counts }, needsCredential: false });
      }
    };
    if (dryRun) await apply(deps.store);
    else await deps.store.transaction(apply);
    report.sources.push({ source: credential.kind, ok: true, error: null, needsCredential: false, tellAdmins: false, counts });
  }
  return report;
}

type Reading =
  | { kind: 'tool'; profiles: ToolProfile[]; skipped: Record<string, number>; refreshed: { accessToken: string; refreshToken: string | null } | null }
  | { kind: 'introspection'; states: { connectionId: number; state: TokenState }[]; refreshed: null };

/** Calls the source's API; throws SourceFailure, and writes nothing. */
async function readSource(deps: SyncDeps, credential: SourceRecord): Promise<Reading> {
  const { clients } = deps;
  switch (credential.kind) {
    case 'hootsuite': {
      const listing = await clients.hootsuite.list({ accessToken: credential.secret, refreshToken: credential.refreshSecret });
      return { kind: 'tool', ...listing };
    }
    case 'buffer':
      return { kind: 'tool', ...(await clients.buffer.list(credential.secret)), refreshed: null };
    case 'linkedin-app':
    case 'meta-app': {
      const client = credential.kind === 'linkedin-app' ? clients.linkedin : clients.meta;
      const app = { clientId: credential.clientId ?? '', clientSecret: credential.secret };
      const tokens = await deps.store.sources(deps.keys).introspectionTokens(credential.workspaceId);
      const connections = new Map((await deps.store.connections.list(credential.workspaceId)).map((c) => [c.id, c]));
      const states: { connectionId: number; state: TokenState }[] = [];
      for (const { connectionId, token } of tokens) {
        const connection = connections.get(connectionId);
        if (!connection || introspectedBy(connection.network) !== credential.kind) continue;
        states.push({ connectionId, state: await client.inspect(app, token) });
      }
      return { kind: 'introspection', states, refreshed: null };
    }
  }
}

interface ApplyContext {
  deps: SyncDeps;
  store: Store;
  workspaceId: string;
  today: IsoDate;
  dryRun: boolean;
  report: SyncReport;
  counts: SourceCounts;
  source: SourceKind;
  connections: Connection[];
  observations: Observation[];
}

async function applyProfiles(context: ApplyContext, profiles: readonly ToolProfile[], skipped: Record<string, number>): Promise<void> {
  const { store, workspaceId, today, dryRun, report, counts, source } = context;
  counts.skipped = Object.values(skipped).reduce((a, b) => a + b, 0);
  const live = context.connections.filter((c) => c.archivedAt === null);
  const byId = new Map(live.map((c) => [c.id, c]));
  const observed = new Map(context.observations.map((o) => [o.connectionId, o]));
  const byExternal = new Map(
    context.observations
      .filter((o) => o.source === source && o.externalId !== null && byId.has(o.connectionId))
      .map((o) => [o.externalId!, byId.get(o.connectionId)!]),
  );
  const byName = new Map(live.map((c) => [`${c.network}:${nameKeyOf(c.name)}`, c]));
  const byUrl = new Map(live.filter((c) => c.url).map((c) => [urlKey(c.url!), c]));
  const taken = new Set<number>();
  for (const profile of profiles) {
    counts.seen += 1;
    const reason = profile.disconnected ? `${SOURCE_NAMES[source]}: ${profile.disconnected}` : null;
    const candidates = [
      byExternal.get(profile.externalId),
      byName.get(`${profile.network}:${nameKeyOf(profile.name)}`),
      profile.url ? byUrl.get(urlKey(profile.url)) : undefined,
    ];
    const match = candidates.find((c) => c !== undefined && !taken.has(c.id) && c.network === profile.network);
    const nameKey = `${profile.network}:${nameKeyOf(profile.name)}`;
    if (!match && byName.has(nameKey)) {
      // A second profile of the same name and network (the record is another profile's): counted, not created.
      counts.skipped += 1;
      continue;
    }
    if (!match) {
      counts.created += 1;
      const created: SyncedConnection = { id: null, name: profile.name, network: profile.network, source, reason };
      report.created.push(created);
      if (reason) counts.disconnected += 1;
      if (reason) report.disconnected.push(created);
      if (dryRun) continue;
      const connection = await store.connections.create(
        workspaceId,
        {
          network: profile.network,
          kind: profile.kind,
          name: profile.name,
          url: profile.url,
          connectedAt: today,
          tool: source === 'hootsuite' || source === 'buffer' ? source : null,
          awaitingOwner: true,
          ...(reason ? { status: 'disconnected', disconnectReason: 'unknown', disconnectedAt: today } : {}),
        },
        SYSTEM_ACTOR,
      );
      created.id = connection.id;
      byName.set(nameKey, connection);
      taken.add(connection.id);
      await store.audit.append({
        workspaceId,
        connectionId: connection.id,
        actorId: SYSTEM_ACTOR,
        action: 'connection.sync',
        details: { name: connection.name, network: connection.network, source, externalId: profile.externalId, ...(reason ? { observed: reason } : {}) },
      });
      await store.sources().observe(workspaceId, connection.id, observation(context, profile.externalId, reason));
      continue;
    }
    taken.add(match.id);
    counts.matched += 1;
    await record(context, match, observed.get(match.id) ?? null, reason, observation(context, profile.externalId, reason));
  }
}

function observation(context: ApplyContext, externalId: string | null, reason: string | null) {
  return {
    source: context.source,
    externalId,
    observedState: reason ? ('disconnected' as const) : ('ok' as const),
    observedReason: reason,
    observedAt: context.deps.now(),
  };
}

async function applyIntrospection(context: ApplyContext, states: readonly { connectionId: number; state: TokenState }[]): Promise<void> {
  const byId = new Map(context.connections.map((c) => [c.id, c]));
  const observed = new Map(context.observations.map((o) => [o.connectionId, o]));
  for (const { connectionId, state } of states) {
    const connection = byId.get(connectionId);
    if (!connection) continue;
    context.counts.seen += 1;
    context.counts.matched += 1;
    const reason = state.invalid ? `${SOURCE_NAMES[context.source]}: ${state.invalid}` : null;
    const previous = observed.get(connectionId) ?? null;
    // A refresh recorded after the bot was given this token: the team holds a newer one, which this
    // answer does not describe, so it neither disconnects nor reconnects the record (it is still kept).
    const superseded = connection.observed != null && currentObservation(connection) === null;
    if (superseded) context.counts.superseded += 1;
    await record(
      context,
      connection,
      previous,
      reason,
      {
        observedState: reason ? 'disconnected' : 'ok',
        observedReason: reason,
        observedAt: context.deps.now(),
      },
      !superseded,
    );
    // The dates replace the predicted ones in the rules (src/rules/finding-rules.ts, currentObservation).
    const end = state.expiresAt === null ? null : state.expiresAt === 'never' ? 'never' : isoDay(state.expiresAt);
    const dataAccessEnd = state.dataAccessExpiresAt === null ? null : isoDay(state.dataAccessExpiresAt);
    // `on`: the day the bot first described the token it holds (setting a token forgets it). Written
    // only when something changed, so the connection's cached health is judged again only then.
    const said = { end, from: context.source, on: connection.observed?.on ?? context.today, dataAccessEnd };
    const before = connection.observed;
    const changed = !before || before.end !== said.end || before.from !== said.from || before.on !== said.on || before.dataAccessEnd !== said.dataAccessEnd;
    if (!context.dryRun && changed) {
      await context.store.sources().recordTokenDates(context.workspaceId, connectionId, said);
      context.counts.dated += 1;
    }
  }
}

/**
 * One matched connection: its observation stored; disconnected when the source says so and the
 * record says connected; reconnected (a new token cycle that day) when the source says it is healthy
 * again after it had observed it disconnected. A retired channel is only observed.
 */
async function record(
  context: ApplyContext,
  connection: Connection,
  previous: Observation | null,
  reason: string | null,
  write: Parameters<ReturnType<Store['sources']>['observe']>[2],
  changesStatus = true,
): Promise<void> {
  const { store, workspaceId, today, dryRun, report, counts, source, deps } = context;
  const item: SyncedConnection = { id: connection.id, name: connection.name, network: connection.network, source, reason };
  const change = { workspaceId, connectionId: connection.id, actorId: SYSTEM_ACTOR, at: deps.now() };
  const active = connection.retiredAt === null && changesStatus;
  if (reason && connection.status === 'connected' && active) {
    counts.disconnected += 1;
    report.disconnected.push(item);
    if (!dryRun) {
      const write = { status: 'disconnected', disconnectReason: 'unknown', disconnectedAt: today } as const;
      await changeConnection(store, change, write, 'connection.disconnect', { reason: 'unknown', on: today, observed: reason, source }, 'every');
    }
  } else if (!reason && connection.status === 'disconnected' && previous?.observedState === 'disconnected' && active) {
    counts.reconnected += 1;
    report.reconnected.push(item);
    if (!dryRun) {
      const write = { status: 'connected', disconnectReason: null, disconnectedAt: null, lastRefreshedAt: today } as const;
      await changeConnection(store, change, write, 'connection.reconnect', { on: today, observed: `${SOURCE_NAMES[source]}: connected`, source }, 'every');
    }
  }
  if (!dryRun) await store.sources().observe(workspaceId, connection.id, write);
}

/** Seconds since the epoch as the UTC calendar day. */
function isoDay(seconds: number): IsoDate {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

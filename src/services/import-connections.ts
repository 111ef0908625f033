/**
 * Imports connections into a workspace, all or nothing. The source is read twice: every row is
 * checked first (nothing is written if any is bad); then the rows are planned in batches of a
 * thousand against what is stored, and what each batch would write is staged (one short statement
 * a batch); then ONE short transaction applies every staged write, one set-based statement per
 * table (docs/architecture.md). So the write lock is held for the apply only (about a second at
 * 100,000 rows on SQLite), Slack actions get through during a long import, and a failure anywhere
 * leaves the workspace as it was, on SQLite and PostgreSQL alike. If a connection of the workspace
 * changed while the rows were planned, the plan is made again. Re-importing the same file changes
 * nothing (no write, no audit event). Between batches the event loop gets a turn, so `serve`
 * answers while a big import plans.
 */
import { randomUUID } from 'node:crypto';
import { todayIn } from '../rules/calendar';
import {
  nameKeyOf,
  type AuditAction,
  type Connection,
  type ConnectionFields,
  type ConnectionKind,
  type ConnectionStatus,
  type IsoDate,
  type Network,
} from '../domain';
import { ConflictError } from '../errors';
import { connectionKey } from '../store/connection-batch-repository';
import type { StagedWrite } from '../store/import-stage-repository';
import type { Store } from '../store/store';
import { writeRetired } from './channels';
import { yieldToEventLoop } from '../yield';

/** One valid row of the file, in the store's shape, with the line it came from. */
export interface ImportRowInput {
  line: number;
  /** `retired` undefined: the file has no `retired` column, so a channel's retirement stays as it is. */
  connection: ConnectionFields & { backups: string[]; retired?: boolean };
}

/** A problem with one line of the file (the header is line 1). */
export interface ImportProblem {
  line: number;
  message: string;
}

/** Where the rows come from (a CSV file: src/transfer's `csvImportSource`). */
export interface ImportSource {
  /** First pass: checks every row against the workspace's `today`. */
  check(today: IsoDate): Promise<{ rows: number; problemCount: number; problems: ImportProblem[] }>;
  /** Second pass: the valid rows in file order (it throws if the file changed in between). */
  rows(today: IsoDate): AsyncIterable<ImportRowInput>;
}

export interface ImportDeps {
  store: Store;
  now: () => Date;
}

export interface ImportOptions {
  workspaceId: string;
  source: ImportSource;
  /** Check and plan only; nothing is written (not even a new workspace). */
  dryRun?: boolean;
  /** Recorded in the audit trail. */
  actorId?: string;
  /** How many changed rows the summary lists (default 20; Infinity lists every one). */
  listLimit?: number;
  /** Called after each batch of the second pass, outside any transaction: rows done of the total (awaited). */
  onProgress?: (done: number, total: number) => void | Promise<void>;
}

/** A row the import created or updated (or, in a dry run, would), for the report. */
export interface ImportedChange {
  line: number;
  action: 'create' | 'update';
  network: Network;
  name: string;
  /** CSV columns an update changes (e.g. owner, backups). */
  columns: string[];
}

export interface ImportSummary {
  workspaceId: string;
  /** The workspace did not exist before (or, in a dry run, would be created). */
  workspaceCreated: boolean;
  timeZone: string;
  /** The workspace's local date the dates were checked against. */
  today: IsoDate;
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  /** Updated rows, and in a dry run created ones too: the first `listLimit` of them. */
  listed: ImportedChange[];
  /** Such rows left out of `listed`. */
  unlisted: number;
}

export type ImportResult = { ok: true; summary: ImportSummary } | { ok: false; problemCount: number; problems: ImportProblem[] };

export type RowAction =
  | { action: 'create'; row: ImportRowInput }
  | {
      action: 'update';
      row: ImportRowInput;
      existing: Connection;
      changes: Partial<ConnectionFields> & ClearedOnReconnect;
      addBackups: string[];
      removeBackups: string[];
      /** true: retire it, false: put it back in use; undefined: leave it as it is. */
      retire?: boolean;
    }
  | { action: 'unchanged'; row: ImportRowInput; existing: Connection };

type ClearedOnReconnect = { disconnectReason?: null; disconnectedAt?: null };

/** A new workspace's zone until an admin sets one. */
const DEFAULT_TIME_ZONE = 'UTC';
const BATCH = 1_000;
const DEFAULT_LIST_LIMIT = 20;
/** How many times the rows are planned when connections keep changing under the import. */
const MAX_PLANS = 3;
/** The apply transaction's time limit: a minute, plus 2 ms a row (100,000 rows: under 4 minutes). */
export function importTimeoutMs(rows: number): number {
  return 60_000 + rows * 2;
}

export async function importConnections(deps: ImportDeps, options: ImportOptions): Promise<ImportResult> {
  const { store } = deps;
  const now = deps.now();
  const { workspaceId, source } = options;
  const actorId = options.actorId ?? 'cli';
  const dryRun = options.dryRun === true;
  const workspace = await store.workspaces.findById(workspaceId);
  const timeZone = workspace?.timeZone ?? DEFAULT_TIME_ZONE;
  const today = todayIn(now, timeZone);

  const checked = await source.check(today);
  if (checked.problemCount) return { ok: false, problemCount: checked.problemCount, problems: checked.problems };

  if (dryRun) {
    const tally = new Tally(options.listLimit ?? DEFAULT_LIST_LIMIT, true);
    let done = 0;
    for await (const batch of batches(source.rows(today), BATCH)) {
      const existing = workspace
        ? await store.connectionBatches.findByNames(
            workspaceId,
            batch.map((r) => r.connection),
          )
        : [];
      tally.add(planImport(batch, existing));
      done += batch.length;
      await options.onProgress?.(done, checked.rows);
      await yieldToEventLoop();
    }
    return { ok: true, summary: { workspaceId, workspaceCreated: !workspace, timeZone, today, dryRun, ...tally.result() } };
  }

  const importId = randomUUID();
  try {
    for (let plan = 1; ; plan++) {
      // Any connection change after this mark makes the plan stale.
      const mark = await store.importStages.auditMark();
      const tally = new Tally(options.listLimit ?? DEFAULT_LIST_LIMIT, false);
      let staged = 0;
      let setTool = false;
      let done = 0;
      const retirements: Retirement[] = [];
      await store.importStages.clear(importId, now);
      for await (const batch of batches(source.rows(today), BATCH)) {
        const actions = planImport(
          batch,
          await store.connectionBatches.findByNames(
            workspaceId,
            batch.map((r) => r.connection),
          ),
        );
        const writes = stagedWrites(actions);
        retirements.push(...retirementsOf(actions));
        await store.importStages.stage(importId, writes, now);
        staged += writes.length;
        setTool ||= batch.some((r) => r.connection.tool !== undefined);
        tally.add(actions);
        done += batch.length;
        await options.onProgress?.(done, checked.rows);
        // SQLite answers synchronously: a turn for Slack's requests between batches.
        await yieldToEventLoop();
      }
      const applied = await store.transaction(
        async (tx) => {
          if (await tx.importStages.changedSince(workspaceId, importId, mark)) return null;
          const { created } = await tx.workspaces.ensure(workspaceId);
          if (staged) await tx.importStages.apply(importId, { workspaceId, actorId, now, setTool });
          // Few channels are retired: one by one, through the same write as `/channels retire`.
          for (const { network, name, retire } of retirements) {
            const [c] = await tx.connections.findByName(workspaceId, name, network);
            if (!c || (c.retiredAt !== null) === retire) continue;
            await writeRetired(tx, { workspaceId, connectionId: c.id, actorId, at: now }, retire);
          }
          return { created };
        },
        { timeoutMs: importTimeoutMs(checked.rows) },
      );
      if (applied) return { ok: true, summary: { workspaceId, workspaceCreated: applied.created, timeZone, today, dryRun, ...tally.result() } };
      if (plan >= MAX_PLANS) {
        throw new ConflictError(`the workspace's channels kept changing during the import (${MAX_PLANS} tries); nothing was imported: run it again`);
      }
    }
  } finally {
    // Best effort: an error that stopped the import is the one reported, and rows left behind are
    // deleted by a later import once a day old.
    await store.importStages.clear(importId, now).catch(() => undefined);
  }
}

/** Fields compared one by one; backups are compared as a set. */
const FIELDS = ['kind', 'name', 'url', 'ownerId', 'connectedAt', 'lastRefreshedAt', 'ownerLastActiveAt', 'status'] as const;

/**
 * What importing valid rows would do: create, update or leave each connection. Pure, so a dry run
 * and the real import share one decision. A row matches an existing connection by network + name
 * (case-insensitive), the store's unique key.
 */
export function planImport(rows: readonly ImportRowInput[], existing: readonly Connection[]): RowAction[] {
  const byKey = new Map(existing.map((c) => [connectionKey(c.network, c.name), c]));
  return rows.map((row): RowAction => {
    const match = byKey.get(connectionKey(row.connection.network, row.connection.name));
    if (!match) return { action: 'create', row };
    const changes: Partial<ConnectionFields> & ClearedOnReconnect = {};
    for (const field of FIELDS) {
      if (row.connection[field] !== match[field]) Object.assign(changes, { [field]: row.connection[field] });
    }
    // Only a file with the `tool` column says anything about the tool.
    const tool = row.connection.tool;
    if (tool !== undefined && tool !== match.tool) changes.tool = tool;
    if (changes.status === 'connected') Object.assign(changes, { disconnectReason: null, disconnectedAt: null });
    const current = match.backups.map((b) => b.userId);
    const addBackups = row.connection.backups.filter((id) => !current.includes(id));
    const removeBackups = current.filter((id) => !row.connection.backups.includes(id));
    // Only a file with the `retired` column says anything about retirement.
    const { retired } = row.connection;
    const retire = retired !== undefined && retired !== (match.retiredAt !== null) ? retired : undefined;
    if (Object.keys(changes).length === 0 && addBackups.length === 0 && removeBackups.length === 0 && retire === undefined) {
      return { action: 'unchanged', row, existing: match };
    }
    return { action: 'update', row, existing: match, changes, addBackups, removeBackups, ...(retire !== undefined ? { retire } : {}) };
  });
}

/** Which CSV-visible things an update changes, for the report (e.g. "owner, backups"). */
export function changedColumns(action: Extract<RowAction, { action: 'update' }>): string[] {
  const names: Record<string, string> = {
    kind: 'kind',
    name: 'name',
    url: 'url',
    ownerId: 'owner',
    connectedAt: 'connected_at',
    lastRefreshedAt: 'last_refreshed_at',
    ownerLastActiveAt: 'owner_last_active_at',
    status: 'status',
    tool: 'tool',
  };
  const columns = Object.keys(action.changes).flatMap((field) => (names[field] ? [names[field]] : []));
  if (action.addBackups.length || action.removeBackups.length) columns.push('backups');
  return action.retire !== undefined ? [...columns, 'retired'] : columns;
}

/**
 * What a planned batch writes, row by row in file order: each new or changed connection (a new one
 * with its backups and `connection.add` event), then for a changed one its removed backups, edit
 * and added backups with their audit events, and the `no_backup` warnings a new backup settles.
 */
export function stagedWrites(actions: readonly RowAction[]): StagedWrite[] {
  const writes: StagedWrite[] = [];
  for (const step of actions) {
    if (step.action === 'unchanged') continue;
    // A change of retirement alone is applied after the staged writes (`retirementsOf`).
    if (step.action === 'update' && !Object.keys(step.changes).length && !step.addBackups.length && !step.removeBackups.length) continue;
    const f = fieldsOf(step.row);
    const at = { network: f.network, nameKey: nameKeyOf(f.name) };
    const fields = [f.kind, f.name.trim(), f.url, f.ownerId, f.connectedAt, f.lastRefreshedAt, f.ownerLastActiveAt, f.status, f.tool ?? null];
    if (step.action === 'create') {
      // Its backups and its `connection.add` event ride on its own row: one staged row a new connection.
      const backups = step.row.connection.backups.filter((userId) => userId !== f.ownerId);
      writes.push({ step: 'connection', ...at, connectionId: null, data: [...fields, backups, JSON.stringify({ name: f.name.trim(), network: f.network })] });
      continue;
    }
    writes.push({ step: 'connection', ...at, connectionId: step.existing.id, data: [...fields, [], '{}'] });
    const audit = (action: AuditAction, details: Record<string, unknown>) => writes.push({ step: 'audit', ...at, data: [action, JSON.stringify(details)] });
    const { existing, changes } = step;
    for (const userId of step.removeBackups) {
      writes.push({ step: 'backup_remove', ...at, data: [userId] });
      audit('connection.backup.remove', { userId });
    }
    const before = existing as unknown as Record<string, unknown>;
    const changed = Object.fromEntries(
      Object.entries(changes)
        .filter(([field, value]) => before[field] !== value)
        .map(([field, value]) => [field, { from: before[field] ?? null, to: value ?? null }]),
    );
    if (Object.keys(changed).length) audit('connection.edit', { changed });
    for (const userId of step.addBackups) {
      writes.push({ step: 'backup_add', ...at, data: [userId] });
      audit('connection.backup.add', { userId });
    }
    if (step.addBackups.length) writes.push({ step: 'resolve', ...at, data: [] });
  }
  return writes;
}

interface Retirement {
  network: Network;
  name: string;
  retire: boolean;
}

/** The channels a planned batch retires or puts back in use (a new one: only when the file says retired). */
export function retirementsOf(actions: readonly RowAction[]): Retirement[] {
  return actions.flatMap((step): Retirement[] => {
    const { network, name } = step.row.connection;
    if (step.action === 'create') return step.row.connection.retired ? [{ network, name, retire: true }] : [];
    return step.action === 'update' && step.retire !== undefined ? [{ network, name, retire: step.retire }] : [];
  });
}

function fieldsOf(row: ImportRowInput): ConnectionFields {
  const c = row.connection;
  return {
    network: c.network,
    kind: c.kind as ConnectionKind,
    name: c.name,
    url: c.url,
    ownerId: c.ownerId,
    connectedAt: c.connectedAt,
    lastRefreshedAt: c.lastRefreshedAt,
    ownerLastActiveAt: c.ownerLastActiveAt,
    status: c.status as ConnectionStatus,
    ...(c.tool !== undefined ? { tool: c.tool } : {}),
  };
}

/** Counts every row, and keeps the first changed rows for the report. */
class Tally {
  private created = 0;
  private updated = 0;
  private unchanged = 0;
  private readonly listed: ImportedChange[] = [];
  private unlisted = 0;

  constructor(
    private readonly limit: number,
    private readonly dryRun: boolean,
  ) {}

  add(actions: readonly RowAction[]): void {
    for (const step of actions) {
      if (step.action === 'unchanged') {
        this.unchanged++;
        continue;
      }
      if (step.action === 'create') this.created++;
      else this.updated++;
      // Updated rows are always listed (someone should see what an import overwrote); created ones in a dry run.
      if (step.action === 'create' && !this.dryRun) continue;
      if (this.listed.length >= this.limit) {
        this.unlisted++;
        continue;
      }
      const { network, name } = step.row.connection;
      this.listed.push({ line: step.row.line, action: step.action, network, name, columns: step.action === 'update' ? changedColumns(step) : [] });
    }
  }

  result() {
    return { created: this.created, updated: this.updated, unchanged: this.unchanged, listed: this.listed, unlisted: this.unlisted };
  }
}

async function* batches<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

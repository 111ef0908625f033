import { EscalationSettings, Network, PolicyOverrides, ReportDay, Workspace } from '../domain';
import { NotFoundError } from '../errors';
import type { Workspace as WorkspaceRow } from '../generated/sqlite/client';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toWorkspace } from './mappers';

export interface WorkspaceSettings {
  name?: string | null;
  alertChannel?: string | null;
  timeZone?: string;
  checkTime?: string;
  policyOverrides?: PolicyOverrides;
  escalation?: EscalationSettings;
  reportDay?: ReportDay;
  reportTime?: string | null;
  statusCanvas?: boolean;
}

/** Workspaces (one per Slack team) and their settings. Validation of settings is the caller's. */
export class WorkspaceRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider = 'sqlite',
  ) {}

  /** The workspace, created with defaults (UTC, 09:00) the first time it is seen. */
  async ensure(id: string, name: string | null = null): Promise<{ workspace: Workspace; created: boolean }> {
    const existing = await this.db.workspace.findUnique({ where: { id } });
    if (existing) return { workspace: toWorkspace(existing), created: false };
    const row = await this.db.workspace.upsert({ where: { id }, create: { id, name }, update: {} });
    return { workspace: toWorkspace(row), created: true };
  }

  // Plain SQL: every check run starts here, and through the ORM this one-row read cost more than
  // reading the workspace's connections.
  async findById(id: string): Promise<Workspace | null> {
    const [row] = await this.db.$queryRawUnsafe<WorkspaceRow[]>(
      `SELECT "id", "name", "alertChannel", "timeZone", "checkTime", "reportDay", "reportTime", "policyOverrides", "outages", "uninstalledAt", "escalation", "statusCanvas", "createdAt", "updatedAt"
       FROM "Workspace" WHERE "id" = ${this.provider === 'postgresql' ? '$1' : '?'}`,
      id,
    );
    return row ? toWorkspace(row) : null;
  }

  async getById(id: string): Promise<Workspace> {
    const workspace = await this.findById(id);
    if (!workspace) throw new NotFoundError(`no workspace with id ${id}`);
    return workspace;
  }

  /**
   * Inside a transaction: holds the workspace's row until it ends, so decisions over the whole
   * workspace (the last admin) are taken one at a time across replicas. PostgreSQL locks the row;
   * SQLite has one writer at a time already (the store's transaction takes the write lock first).
   * False when there is no such workspace.
   */
  async lock(id: string): Promise<boolean> {
    if (this.provider !== 'postgresql') return (await this.findById(id)) !== null;
    const rows = await this.db.$queryRawUnsafe<{ id: string }[]>('SELECT "id" FROM "Workspace" WHERE "id" = $1 FOR UPDATE', id);
    return rows.length > 0;
  }

  /** The workspaces the bot serves (an uninstalled one waits for its reinstall or purge: not listed unless asked). */
  async list(options: { uninstalled?: boolean } = {}): Promise<Workspace[]> {
    const rows = await this.db.workspace.findMany({ where: options.uninstalled ? {} : { uninstalledAt: null }, orderBy: { id: 'asc' } });
    return rows.map(toWorkspace);
  }

  /** Marks the workspace uninstalled (no checks, no delivery) or, with null, installed again. */
  async setUninstalled(id: string, at: Date | null): Promise<void> {
    await this.db.workspace.updateMany({ where: { id }, data: { uninstalledAt: at } });
  }

  /** Deletes every workspace uninstalled before `before`, with all its data (cascade). Returns their ids. */
  async purgeUninstalled(before: Date): Promise<string[]> {
    const rows = await this.db.workspace.findMany({ where: { uninstalledAt: { lt: before } }, select: { id: true } });
    const ids = rows.map((r) => r.id);
    if (ids.length) await this.db.workspace.deleteMany({ where: { id: { in: ids }, uninstalledAt: { lt: before } } });
    return ids;
  }

  async updateSettings(id: string, settings: WorkspaceSettings): Promise<Workspace> {
    const { policyOverrides, escalation, ...rest } = settings;
    const row = await this.db.workspace.update({
      where: { id },
      data: {
        ...rest,
        ...(policyOverrides ? { policyOverrides: JSON.stringify(policyOverrides) } : {}),
        ...(escalation ? { escalation: JSON.stringify(escalation) } : {}),
      },
    });
    return toWorkspace(row);
  }

  /** The secret of the workspace's calendar feed, or null when none was made yet. */
  async calendarSecret(id: string): Promise<string | null> {
    const row = await this.db.workspace.findUnique({ where: { id }, select: { calendarSecret: true } });
    return row?.calendarSecret ?? null;
  }

  /** Sets (or, with a fresh value, rotates) the calendar feed's secret; the old URL stops answering. */
  async setCalendarSecret(id: string, secret: string): Promise<void> {
    await this.db.workspace.update({ where: { id }, data: { calendarSecret: secret } });
  }

  /** The workspace whose feed has this secret. */
  async findByCalendarSecret(secret: string): Promise<Workspace | null> {
    const row = await this.db.workspace.findUnique({ where: { calendarSecret: secret } });
    return row ? toWorkspace(row) : null;
  }

  /** Marks a network disrupted (`since` set) or lifts it (`since` null). Returns the new outages. */
  async setOutage(id: string, network: Network, since: Date | null): Promise<Workspace> {
    const workspace = await this.getById(id);
    const outages = { ...workspace.outages };
    if (since) outages[network] = since.toISOString();
    else delete outages[network];
    const row = await this.db.workspace.update({ where: { id }, data: { outages: JSON.stringify(outages) } });
    return toWorkspace(row);
  }
}

/**
 * The store: every repository over one Prisma client, opened from a DATABASE_URL.
 * `transaction` hands the same repositories over one transaction, for changes that span them.
 */
import { AuditRepository } from './audit-repository';
import { assertReachable, createDb, inTransaction, SqliteFileWatch, type Db, type TransactionOptions, type Tx } from './client';
import { ConnectionBatchRepository } from './connection-batch-repository';
import { ConnectionPageRepository } from './connection-page-repository';
import { ConnectionRepository } from './connection-repository';
import { DatabaseTarget } from './database-url';
import { HealthRepository } from './health-repository';
import { ImportStageRepository } from './import-stage-repository';
import { InstallationRepository } from './installation-repository';
import { EscalationMessageRepository } from './escalation-message-repository';
import { EscalationRepository } from './escalation-repository';
import { MemberRepository } from './member-repository';
import { ReportRepository } from './report-repository';
import { ProcessedEventRepository, SchedulerRepository } from './scheduler-repository';
import { OutboxRepository } from './outbox-repository';
import { PostedMessageRepository } from './posted-message-repository';
import { StatusCanvasRepository } from './status-canvas-repository';
import { WarningRepository } from './warning-repository';
import { SourceRepository } from './source-repository';
import { SourceOAuthStateRepository } from './source-oauth-state-repository';
import { TokenCipher } from './token-cipher';
import { WorkspaceRepository } from './workspace-repository';

export interface InstallationKeys {
  current: Buffer;
  previous?: Buffer | null;
  next?: Buffer | null;
}

export class Store {
  readonly workspaces: WorkspaceRepository;
  readonly members: MemberRepository;
  readonly connections: ConnectionRepository;
  /** Many connections in one statement (the import). */
  readonly connectionBatches: ConnectionBatchRepository;
  /** Connections a page at a time (the exports). */
  readonly connectionPages: ConnectionPageRepository;
  /** An import's writes, staged then applied in one short transaction. */
  readonly importStages: ImportStageRepository;
  /** Each connection's health as last judged: the lists page and count on it. */
  readonly health: HealthRepository;
  readonly audit: AuditRepository;
  /** Warnings as checks plan them and people settle them. */
  readonly warnings: WarningRepository;
  /** The outbox queue: claim and settle (src/outbox/queue.ts only). */
  readonly outbox: OutboxRepository;
  /** The Slack messages carrying warnings (src/outbox/messages.ts only). */
  readonly postedMessages: PostedMessageRepository;
  readonly scheduler: SchedulerRepository;
  readonly events: ProcessedEventRepository;
  /** The escalation columns of warnings (docs/rules.md "Escalation"). */
  readonly escalations: EscalationRepository;
  /** The messages of escalation steps, an outbox of their own (src/outbox/queue.ts settles them). */
  readonly escalationMessages: EscalationMessageRepository;
  /** The weekly report's reads. */
  readonly reports: ReportRepository;
  /** The status canvas of each workspace's alert channel (src/outbox/status-canvas.ts). */
  readonly statusCanvases: StatusCanvasRepository;
  /** The OAuth states of "Connect Hootsuite", each consumed once. */
  readonly sourceOAuthStates: SourceOAuthStateRepository;

  constructor(
    private readonly client: Db | Tx,
    readonly target: DatabaseTarget,
    private readonly file: SqliteFileWatch | null = null,
  ) {
    this.workspaces = new WorkspaceRepository(client, target.provider);
    this.members = new MemberRepository(client, target.provider);
    this.connections = new ConnectionRepository(client, target.provider);
    this.connectionBatches = new ConnectionBatchRepository(client, target.provider);
    this.connectionPages = new ConnectionPageRepository(client, target.provider);
    this.importStages = new ImportStageRepository(client, target.provider);
    this.health = new HealthRepository(client, target.provider);
    this.audit = new AuditRepository(client);
    this.warnings = new WarningRepository(client, target.provider);
    this.outbox = new OutboxRepository(client, target.provider);
    this.postedMessages = new PostedMessageRepository(client, target.provider);
    this.scheduler = new SchedulerRepository(client);
    this.events = new ProcessedEventRepository(client);
    this.escalations = new EscalationRepository(client);
    this.escalationMessages = new EscalationMessageRepository(client, target.provider);
    this.reports = new ReportRepository(client);
    this.statusCanvases = new StatusCanvasRepository(client);
    this.sourceOAuthStates = new SourceOAuthStateRepository(client);
  }

  /**
   * Slack installations (multi-workspace mode); tokens are encrypted with `keys.current` and read
   * with it, `keys.previous` or `keys.next` (TOKEN_ENCRYPTION_KEY, _PREVIOUS, _NEXT). Without keys,
   * tokens cannot be read.
   */
  installations(keys?: InstallationKeys): InstallationRepository {
    const cipher = keys ? new TokenCipher(keys.current, keys.previous ? [keys.previous] : [], keys.next ? [keys.next] : []) : null;
    return new InstallationRepository(this.client, cipher);
  }

  /**
   * The workspace's sources and what they observed (docs/sources.md); credentials are encrypted with
   * the same keys as installation tokens. Without keys, only what holds no secret can be read.
   */
  sources(keys?: InstallationKeys): SourceRepository {
    const cipher = keys ? new TokenCipher(keys.current, keys.previous ? [keys.previous] : [], keys.next ? [keys.next] : []) : null;
    return new SourceRepository(this.client, cipher);
  }

  transaction<T>(work: (store: Store) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return inTransaction(this.client, (tx) => work(new Store(tx, this.target)), options);
  }

  /** Throws DatabaseUnavailableError (one clear line) when the database cannot be reached. */
  async ping(): Promise<void> {
    this.file?.check();
    await assertReachable(this.client as Db, this.target);
  }

  /** Why the database file cannot be used any more (deleted or replaced), or null: a stat, no query. */
  fileProblem(): string | null {
    try {
      this.file?.check();
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** The migrations recorded as applied in Prisma's `_prisma_migrations` table (for readiness). */
  async appliedMigrations(): Promise<string[]> {
    const rows = await (this.client as Db).$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return rows.map((row) => row.migration_name);
  }

  async close(): Promise<void> {
    if ('$disconnect' in this.client) await (this.client as Db).$disconnect();
  }
}

export function openStore(target: DatabaseTarget): Store {
  const watch = target.provider === 'sqlite' && target.filePath && target.filePath !== ':memory:' ? new SqliteFileWatch(target.filePath) : null;
  return new Store(createDb(target, watch), target, watch);
}

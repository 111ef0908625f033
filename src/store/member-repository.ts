import { Member, Role } from '../domain';
import type { Db, Tx } from './client';
import type { DatabaseProvider } from './database-url';
import { toMember } from './mappers';
import { readRows } from './raw-read';

export interface MemberChanges {
  role?: Role;
  active?: boolean;
  name?: string | null;
}

/** Slack users the bot knows in a workspace, with their role. */
export class MemberRepository {
  constructor(
    private readonly db: Db | Tx,
    private readonly provider: DatabaseProvider = 'sqlite',
  ) {}

  async find(workspaceId: string, userId: string): Promise<Member | null> {
    const row = await this.db.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
    return row ? toMember(row) : null;
  }

  /** Creates the member (role `member` unless given) or applies the changes. */
  async upsert(workspaceId: string, userId: string, changes: MemberChanges = {}): Promise<Member> {
    const row = await this.db.member.upsert({
      where: { workspaceId_userId: { workspaceId, userId } },
      create: { workspaceId, userId, role: changes.role ?? 'member', active: changes.active ?? true, name: changes.name ?? null },
      update: changes,
    });
    return toMember(row);
  }

  async list(workspaceId: string, filter: { role?: Role; active?: boolean } = {}): Promise<Member[]> {
    const rows = await this.db.member.findMany({ where: { workspaceId, ...filter }, orderBy: { userId: 'asc' } });
    return rows.map(toMember);
  }

  /** How many members the workspace has: zero means it has never been seen by the bot. */
  async count(workspaceId: string): Promise<number> {
    return this.db.member.count({ where: { workspaceId } });
  }

  /** Users of the workspace whose Slack account is deactivated or removed. */
  /** Plain SQL: every check run asks, and through the ORM the question cost as much as the answer. */
  async inactiveUserIds(workspaceId: string): Promise<Set<string>> {
    const rows = await readRows<{ userId: string }>(
      this.db,
      `SELECT "userId" FROM "Member" WHERE "workspaceId" = ${this.provider === 'postgresql' ? '$1' : '?'} AND NOT "active"`,
      [workspaceId],
    );
    return new Set(rows.map((row) => row.userId));
  }

  /** The secret of a person's own calendar feed, or null when they have none yet. */
  async calendarSecret(workspaceId: string, userId: string): Promise<string | null> {
    const row = await this.db.member.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: { calendarSecret: true } });
    return row?.calendarSecret ?? null;
  }

  async setCalendarSecret(workspaceId: string, userId: string, secret: string): Promise<void> {
    await this.db.member.upsert({
      where: { workspaceId_userId: { workspaceId, userId } },
      create: { workspaceId, userId, calendarSecret: secret },
      update: { calendarSecret: secret },
    });
  }

  /** Whose personal feed has this secret. */
  async findByCalendarSecret(secret: string): Promise<Member | null> {
    const row = await this.db.member.findUnique({ where: { calendarSecret: secret } });
    return row ? toMember(row) : null;
  }
}

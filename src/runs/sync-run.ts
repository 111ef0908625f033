/**
 * One sync of a workspace as `serve` and `channel-keeper sync` run it: the sources read and
 * recorded (src/services/sync.ts), then, when a source observed a disconnection, a check run at
 * once so its warning goes out through the outbox now, not at the next daily check (so does a token
 * end or data access deadline a network said or moved); then one admin
 * message for the records that need an owner and the sources that need a new credential.
 */
import type { Logger } from '../logger';
import { syncWorkspace, type SyncDeps } from '../services/sync';
import { noticeOf, type SyncNotice, type SyncReport } from '../services/sync-report';
import { runCheck, type CheckRunDeps } from './check-run';

export interface SyncRunDeps extends SyncDeps {
  outbox?: CheckRunDeps['outbox'];
  logger?: Logger;
  /** Tells the workspace's admins (serve: one DM each through the outbox worker's Slack port). */
  tellAdmins?: (workspaceId: string, notice: SyncNotice) => Promise<unknown>;
}

export async function runSync(deps: SyncRunDeps, workspaceId: string, options: { dryRun?: boolean } = {}): Promise<SyncReport> {
  const report = await syncWorkspace(deps, workspaceId, { ...options, tellsAdmins: deps.tellAdmins !== undefined });
  if (report.dryRun) return report;
  // A disconnection, or a token end the network moved, is warned about now, not at the next daily check.
  const dated = report.sources.some((s) => s.counts.dated > 0);
  if (report.disconnected.length || dated) await runCheck({ store: deps.store, now: deps.now, logger: deps.logger, outbox: deps.outbox }, workspaceId);
  const notice = noticeOf(report);
  if ((notice.needOwner.length || notice.needsCredential.length) && deps.tellAdmins) {
    await deps.tellAdmins(workspaceId, notice).catch((error: unknown) => deps.logger?.warn({ workspaceId, err: error }, 'admins not told of the sync'));
  }
  return report;
}

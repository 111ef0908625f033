/**
 * `channel-keeper sync --workspace ID [--json] [--dry-run] [--wait <duration>]`: reads every source
 * of the workspace now and records what they say (docs/sources.md). A real run then delivers as
 * `check` does (src/cli/outbox-drain.ts): the warning of a disconnection a source observed is posted
 * before the process exits, and the admins get the sync's one notice by DM (without SLACK_BOT_TOKEN
 * nothing is posted, and a line on stderr says so). Exit codes: SYNC_EXIT_CODES.
 */
import { DELIVERY_VARIABLES, requireSourceKeys, SOURCE_VARIABLES, type ConfigVariableName } from '../config';
import type { DeliveryReport } from '../outbox/report';
import { noticeOf, type SyncNotice, type SyncReport } from '../services/sync-report';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { count } from '../words';
import { defineCommand, type CliIo } from './command';
import { cliLogger, commandConfig, withStore } from './context';
import { cliSlack, drainingOutbox, notPosted, workspaceLabel, type AdminsTold } from './outbox-drain';
import { DEFAULT_WAIT_MS, formatWait, parseWait, SlackWait, WAIT_OPTION } from './slack-wait';
import { findWorkspace } from './sources';

/** The variables `sync` reads: the sources', and Slack's to deliver what it found. */
export const SYNC_VARIABLES: readonly ConfigVariableName[] = [...SOURCE_VARIABLES, ...DELIVERY_VARIABLES];

/** What each exit code of `sync` means (`--help`, docs/command-line.md). */
export const SYNC_EXIT_CODES = [
  '0  every source answered, and what the sync had to tell was posted (or there was',
  '   nothing to tell; without SLACK_BOT_TOKEN nothing is posted: 0 too, and a line on',
  '   stderr says so)',
  '1  a source failed (one line on stderr each, naming it and what to do), or something',
  "   due could not be posted: a warning (it stays pending for serve) or the admins'",
  '   notice; one line on stderr per reason',
  '2  a usage or configuration mistake (a bad option or --wait, DATABASE_URL,',
  '   TOKEN_ENCRYPTION_KEY…)',
];

/** What a real sync delivered: the warnings the check after a disconnection drained, and the admins' notice. */
interface SyncDelivery {
  slack: boolean;
  /** Null when no source observed a disconnection (no check ran). */
  warnings: DeliveryReport | null;
  /** Null when the sync had nothing to tell the admins. */
  admins: (AdminsTold & { notice: SyncNotice }) | null;
}

export const syncCommand = defineCommand({
  name: 'sync',
  summary: "read the workspace's sources now and record what they say",
  description: `Reads each source (Hootsuite, Buffer, the LinkedIn and Meta apps) and records what they observe: new profiles become records without an owner, disconnections are recorded as observed, introspected expiry dates kept. Then delivers as check does (to Slack when SLACK_BOT_TOKEN is set): the warning of an observed disconnection is posted at once, and the admins get one DM listing the records that need an owner and the sources that need a new credential. With --dry-run, prints what would change and writes and posts nothing. A Slack that does not answer is given up after --wait (${formatWait(DEFAULT_WAIT_MS)} by default).`,
  examples: ['sync --workspace T0123ABCD', 'sync --workspace T0123ABCD --dry-run --json', 'sync --workspace T0123ABCD --wait 5m'],
  configure: (command) =>
    command
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--json', 'one JSON line: the sources, what was created, disconnected and reconnected, and what was delivered')
      .option('--dry-run', 'read the sources and say what would change, writing and posting nothing')
      .option(WAIT_OPTION.flags, WAIT_OPTION.description)
      .addHelpText('after', `\nExit codes:\n${SYNC_EXIT_CODES.map((line) => `  ${line}`).join('\n')}`),
  async action({ opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const dryRun = opts.dryRun === true;
    const wait = new SlackWait(typeof opts.wait === 'string' ? parseWait(opts.wait) : DEFAULT_WAIT_MS);
    try {
      const config = commandConfig(SYNC_VARIABLES);
      const keys = requireSourceKeys(config);
      const logger = await cliLogger(config);
      const { report, delivery, problems, undelivered } = await withStore(config, async (store) => {
        const workspace = await findWorkspace(store, workspaceId);
        const [{ runSync }, { sourceClients }] = await Promise.all([import('../runs/sync-run'), import('../sources/clients')]);
        const now = () => new Date();
        const slack = dryRun ? null : await cliSlack({ store, config, logger }, wait);
        const outbox = dryRun ? null : await drainingOutbox({ store, config, logger, now }, slack, { repeat: true });
        const delivery: SyncDelivery = { slack: slack !== null, warnings: null, admins: null };
        const report = await runSync(
          {
            store,
            now,
            logger,
            keys,
            clients: sourceClients(config.sources!),
            ...(outbox && { outbox: { afterRecording: async (id: string) => (delivery.warnings = await outbox.afterRecording(id)) } }),
            // Without Slack nobody is told: the once-only credential notice is then left for serve.
            ...(outbox &&
              slack && {
                tellAdmins: async (_id: string, notice: SyncNotice) => {
                  delivery.admins = { notice, ...(await outbox.tellAdmins(workspace, { kind: 'sync_notice', notice }, 'source sync')) };
                },
              }),
          },
          workspaceId,
          { dryRun },
        );
        if (!outbox) return { report, delivery: null, problems: [], undelivered: false };
        const warnings = delivery.warnings ? await notPosted(store, workspace, delivery.warnings, slack) : { failed: false, lines: [] };
        const notice = noticeProblem(report, delivery, workspaceId);
        const lines = [...warnings.lines, ...(notice ? [notice.line] : [])];
        return {
          report,
          delivery,
          problems: lines.map((line) => `channel-keeper sync: ${workspaceLabel(workspace)}: ${line}`),
          undelivered: warnings.failed || (notice?.failed ?? false),
        };
      });
      printReport(report, delivery, opts.json === true, io);
      const failed = report.sources.filter((s) => !s.ok);
      for (const s of failed) io.err(`${s.source} failed: ${s.error}`);
      for (const line of problems) io.err(line);
      return failed.length || undelivered ? 1 : 0;
    } finally {
      wait.close();
    }
  },
});

/** "2 records need an owner; buffer needs a new credential": what the admins' notice says. */
function noticeWords(notice: SyncNotice): string {
  const parts: string[] = [];
  const owners = notice.needOwner.length;
  if (owners) parts.push(`${count(owners, 'record')} ${owners === 1 ? 'needs' : 'need'} an owner`);
  const sources = notice.needsCredential;
  if (sources.length) parts.push(`${sources.join(', ')} ${sources.length === 1 ? 'needs' : 'need'} a new credential`);
  return parts.join('; ');
}

/**
 * The admins' notice when it did not reach every admin: one line, and whether it is a failure
 * (with Slack configured, as a warning not posted is). It is not sent again: the records it
 * listed are created, and a refused credential is told once.
 */
function noticeProblem(report: SyncReport, delivery: SyncDelivery, workspaceId: string): { failed: boolean; line: string } | null {
  const expected = report.created.length > 0 || report.sources.some((s) => s.tellAdmins);
  const told = delivery.admins;
  if (!expected || (told && told.admins > 0 && told.told === told.admins)) return null;
  const what = noticeWords(told?.notice ?? noticeOf(report));
  if (!delivery.slack)
    return { failed: false, line: `admins not told (${what}): Slack is not configured (no SLACK_BOT_TOKEN); it is not sent later, pass it on` };
  if (!told) return { failed: true, line: `admins not told (${what}): it could not be sent (see the log)` };
  if (!told.admins)
    return {
      failed: true,
      line: `admins not told (${what}): no active admin in this workspace; give someone the role: channel-keeper roles set <user> admin --workspace ${workspaceId}`,
    };
  return {
    failed: true,
    line: `${told.told} of ${count(told.admins, 'admin')} told (${what}): ${told.reason ?? 'Slack did not take it'}; the notice is not sent again`,
  };
}

function printReport(report: SyncReport, delivery: SyncDelivery | null, json: boolean, io: CliIo): void {
  if (json) {
    const w = delivery?.warnings;
    const warnings = w ? { posted: w.posted, failed: w.failed, pending: w.pending, note: w.note ?? null } : null;
    const admins = delivery?.admins ? { admins: delivery.admins.admins, told: delivery.admins.told, reason: delivery.admins.reason } : null;
    io.out(JSON.stringify({ ...report, delivery: delivery && { slack: delivery.slack, warnings, admins } }));
    return;
  }
  const would = report.dryRun ? 'would be ' : '';
  const workspaceId = report.workspaceId;
  if (!report.sources.length) io.err(`${workspaceId} has no source: add one with "channel-keeper sources add <kind> --workspace ${workspaceId} …"`);
  for (const s of report.sources) {
    if (s.ok) {
      const c = s.counts;
      io.out(
        `${s.source}: ${c.seen} seen, ${c.matched} matched, ${c.created} ${would}created, ${c.disconnected} ${would}disconnected, ${c.reconnected} ${would}reconnected, ${c.skipped} skipped`,
      );
      if (c.superseded)
        io.out(
          `${s.source}: ${c.superseded} token(s) older than their channel's last recorded refresh: not applied; give each its new token with "channel-keeper tokens set <name> --workspace ${workspaceId} --token-file FILE"`,
        );
    }
  }
  for (const item of report.created)
    io.out(`${report.dryRun ? 'would create' : 'created'} ${item.name} (${item.network}, from ${item.source}): it needs an owner`);
  for (const item of report.disconnected) io.out(`${report.dryRun ? 'would mark' : 'marked'} ${item.name} (${item.network}) disconnected: ${item.reason}`);
  for (const item of report.reconnected) io.out(`${report.dryRun ? 'would mark' : 'marked'} ${item.name} (${item.network}) reconnected`);
  const warnings = delivery?.warnings;
  if (warnings)
    io.out(`Delivery: ${warnings.posted} posted, ${warnings.failed} failed, ${warnings.pending} pending${warnings.note ? ` (${warnings.note})` : ''}`);
  const admins = delivery?.admins;
  if (admins) io.out(`Admins told: ${admins.told} of ${admins.admins}${admins.reason && admins.told < admins.admins ? ` (${admins.reason})` : ''}`);
}

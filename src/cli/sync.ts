/**
 * `channel-keeper sync --workspace ID [--json] [--dry-run]`: reads every source of the workspace
 * now and records what they say (docs/sources.md). Exit 0 when every source answered, 1 when one
 * failed (one line each, naming it and what to do), 2 for usage or configuration.
 */
import { requireSourceKeys, SOURCE_VARIABLES } from '../config';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { cliLogger, commandConfig, withStore } from './context';
import { findWorkspace } from './sources';

export const syncCommand = defineCommand({
  name: 'sync',
  summary: "read the workspace's sources now and record what they say",
  description:
    'Reads each source (Hootsuite, Buffer, the LinkedIn and Meta apps) and records what they observe: new profiles become records without an owner, disconnections are recorded as observed, introspected expiry dates kept. With --dry-run, prints what would change and writes nothing. Exit 0 when every source answered, 1 when one failed.',
  examples: ['sync --workspace T0123ABCD', 'sync --workspace T0123ABCD --dry-run --json'],
  configure: (command) =>
    command
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--json', 'one JSON line: the sources, what was created, disconnected and reconnected')
      .option('--dry-run', 'read the sources and say what would change, writing nothing'),
  async action({ opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const config = commandConfig(SOURCE_VARIABLES);
    const keys = requireSourceKeys(config);
    const logger = await cliLogger(config);
    const report = await withStore(config, async (store) => {
      await findWorkspace(store, workspaceId);
      const [{ runSync }, { sourceClients }] = await Promise.all([import('../runs/sync-run'), import('../sources/clients')]);
      return runSync({ store, now: () => new Date(), logger, keys, clients: sourceClients(config.sources!) }, workspaceId, { dryRun: opts.dryRun === true });
    });
    if (opts.json === true) io.out(JSON.stringify(report));
    else {
      const would = report.dryRun ? 'would be ' : '';
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
    }
    const failed = report.sources.filter((s) => !s.ok);
    for (const s of failed) io.err(`${s.source} failed: ${s.error}`);
    return failed.length ? 1 : 0;
  },
});

/**
 * `channel-keeper sources add|list|remove`: the tools and apps a workspace's connection state is
 * read from (docs/sources.md). Credentials come from files or standard input (`-`), never from an
 * argument, and are stored encrypted with TOKEN_ENCRYPTION_KEY.
 */
import { requireSourceKeys, SOURCE_VARIABLES } from '../config';
import { isSourceKind, SOURCE_KINDS, type SourceKind } from '../domain';
import { NotFoundError, ValidationError } from '../errors';
import { CLI_ACTOR } from '../services/permissions';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';
import { readSecret } from './secret-file';
import { textTable } from './text-table';

const USAGE = `sources add <${SOURCE_KINDS.join('|')}> --workspace ID`;

export const sourcesCommand = defineCommand({
  name: 'sources',
  summary: 'add, list or remove the tools and apps connection state is read from',
  description:
    'add: hootsuite and buffer take --token-file (Hootsuite also --refresh-token-file); linkedin-app and meta-app take --client-id and --client-secret-file. A file of "-" is standard input. list: each source with its last sync. remove: forgets the source and its credential (the records it created stay).',
  examples: [
    'sources add hootsuite --workspace T0123ABCD --token-file hootsuite.token',
    'sources add linkedin-app --workspace T0123ABCD --client-id 86abc --client-secret-file - < secret.txt',
    'sources list --workspace T0123ABCD --json',
    'sources remove buffer --workspace T0123ABCD',
  ],
  configure: (command) =>
    command
      .argument('<action>', 'add, list or remove')
      .argument('[kind]', `with add and remove: ${SOURCE_KINDS.join(', ')}`)
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--token-file <file>', 'hootsuite, buffer: a file holding the access token or API key (- : standard input)')
      .option('--refresh-token-file <file>', "hootsuite: a file holding the refresh token (refreshed with HOOTSUITE_CLIENT_ID's app)")
      .option('--client-id <id>', "linkedin-app, meta-app: the app's client id or app id")
      .option('--client-secret-file <file>', "linkedin-app, meta-app: a file holding the app's secret (- : standard input)")
      .option('--json', 'list: one JSON line per source'),
  async action({ args, opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const [action, kindArg] = args;
    const config = commandConfig(SOURCE_VARIABLES);
    if (action === 'list') {
      const sources = await withStore(config, async (store) => {
        await findWorkspace(store, workspaceId);
        const { listSources } = await import('../services/sources');
        return listSources({ store, now: () => new Date() }, workspaceId);
      });
      if (opts.json === true) {
        for (const s of sources) {
          io.out(
            JSON.stringify({
              workspace: workspaceId,
              source: s.kind,
              lastSyncAt: s.lastSyncAt?.toISOString() ?? null,
              ok: s.lastSyncOk,
              counts: s.counts,
              error: s.lastError,
              needsCredential: s.needsCredential,
            }),
          );
        }
      } else if (sources.length) {
        const rows = sources.map((s) => [
          s.kind,
          s.lastSyncAt ? s.lastSyncAt.toISOString().slice(0, 16).replace('T', ' ') : 'never',
          s.needsCredential ? 'needs a new credential' : s.lastSyncOk === false ? 'failed' : s.lastSyncOk ? 'ok' : '—',
          Object.entries(s.counts)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '—',
          s.lastError ?? '',
        ]);
        io.out(textTable([['source', 'last sync (UTC)', 'state', 'counts', 'error'], ...rows]).join('\n'));
      } else io.err(`${workspaceId} has no source: add one with "channel-keeper ${USAGE} …"`);
      return 0;
    }
    if (action !== 'add' && action !== 'remove')
      throw new ValidationError(
        `unknown action "${action}": type "sources list --workspace ${workspaceId}", "${USAGE} …" or "sources remove <kind> --workspace ${workspaceId}"`,
      );
    const kind = checkKind(kindArg, action);
    if (action === 'remove') {
      const removed = await withStore(config, async (store) => {
        const workspace = await findWorkspace(store, workspaceId);
        const { removeSource } = await import('../services/sources');
        return removeSource({ store, now: () => new Date() }, { workspace, actor: CLI_ACTOR }, kind);
      });
      io.err(removed ? `${kind} removed from ${workspaceId}; the records it created stay` : `${workspaceId} has no ${kind} source: nothing removed`);
      return 0;
    }
    const keys = requireSourceKeys(config);
    const app = kind === 'linkedin-app' || kind === 'meta-app';
    if (app) {
      if (!opts.clientId || !opts.clientSecretFile)
        throw new ValidationError(`${kind} needs --client-id <id> and --client-secret-file <file> (- : standard input)`);
      if (opts.tokenFile) throw new ValidationError(`${kind} takes --client-id and --client-secret-file, not --token-file`);
    } else {
      if (!opts.tokenFile) throw new ValidationError(`${kind} needs --token-file <file> (- : standard input)`);
      if (opts.clientId || opts.clientSecretFile) throw new ValidationError(`${kind} takes --token-file, not --client-id or --client-secret-file`);
      if (opts.refreshTokenFile && kind !== 'hootsuite') throw new ValidationError('--refresh-token-file is for hootsuite only');
    }
    const secret = app ? await readSecret(String(opts.clientSecretFile), '--client-secret-file') : await readSecret(String(opts.tokenFile), '--token-file');
    const refreshSecret = opts.refreshTokenFile ? await readSecret(String(opts.refreshTokenFile), '--refresh-token-file') : null;
    await withStore(config, async (store) => {
      const workspace = await findWorkspace(store, workspaceId);
      const { addSource } = await import('../services/sources');
      await addSource(
        { store, now: () => new Date() },
        keys,
        { workspace, actor: CLI_ACTOR },
        { kind, secret, refreshSecret, clientId: app ? String(opts.clientId) : null },
      );
    });
    io.err(`${kind} added to ${workspaceId}; "channel-keeper sync --workspace ${workspaceId}" reads it now`);
    return 0;
  },
});

function checkKind(kind: string | undefined, action: string): SourceKind {
  if (!isSourceKind(kind)) throw new ValidationError(`${kind ? `unknown source "${kind}"` : `${action} needs a source`}: one of ${SOURCE_KINDS.join(', ')}`);
  return kind;
}

export async function findWorkspace(store: import('../store/store').Store, workspaceId: string) {
  const workspace = await store.workspaces.findById(workspaceId);
  if (!workspace) throw new NotFoundError(`no workspace with id ${workspaceId}: "channel-keeper workspaces" lists the ids`);
  return workspace;
}

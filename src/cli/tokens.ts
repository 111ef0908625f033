/**
 * `channel-keeper tokens set|remove "<connection name>"`: the token a connection's introspection
 * uses (its refresh token when there is one), read by the `linkedin-app` and `meta-app` sources.
 */
import { requireSourceKeys, SOURCE_VARIABLES } from '../config';
import { introspectedBy } from '../domain';
import { ValidationError } from '../errors';
import { CLI_ACTOR } from '../services/permissions';
import { checkWorkspaceId } from '../transfer/workspace-id';
import { defineCommand } from './command';
import { commandConfig, withStore } from './context';
import { readSecret } from './secret-file';
import { findWorkspace } from './sources';

export const tokensCommand = defineCommand({
  name: 'tokens',
  summary: "set or remove the token a connection's introspection uses",
  description:
    "set: stores the connection's token (encrypted with TOKEN_ENCRYPTION_KEY), read from --token-file (- : standard input); the linkedin-app and meta-app sources introspect it at each sync. remove: forgets it.",
  examples: ['tokens set "Acme Corp" --workspace T0123ABCD --token-file acme.token', 'tokens remove "Acme Corp" --workspace T0123ABCD'],
  configure: (command) =>
    command
      .argument('<action>', 'set or remove')
      .argument('<name>', "the connection's name, as /channels shows it")
      .requiredOption('--workspace <id>', 'the workspace (its team id, see `channel-keeper workspaces`)')
      .option('--network <network>', 'when two networks have a channel of that name')
      .option('--token-file <file>', 'set: a file holding the token (- : standard input)'),
  async action({ args, opts, io }) {
    const workspaceId = checkWorkspaceId(String(opts.workspace));
    const [action, name = ''] = args;
    if (action !== 'set' && action !== 'remove')
      throw new ValidationError(
        `unknown action "${action}": type "tokens set <name> --workspace ${workspaceId} --token-file FILE" or "tokens remove <name> --workspace ${workspaceId}"`,
      );
    const config = commandConfig(SOURCE_VARIABLES);
    let token: string | null = null;
    let keys = null;
    if (action === 'set') {
      if (!opts.tokenFile) throw new ValidationError('set needs --token-file <file> (- : standard input)');
      keys = requireSourceKeys(config);
      token = await readSecret(String(opts.tokenFile), '--token-file');
    }
    const set = await withStore(config, async (store) => {
      const workspace = await findWorkspace(store, workspaceId);
      const matches = (await store.connections.findByName(workspaceId, name)).filter((c) => !opts.network || c.network === opts.network);
      if (!matches.length)
        throw new ValidationError(`no channel named "${name}" in ${workspaceId}: "channel-keeper export --workspace ${workspaceId}" lists them`);
      if (matches.length > 1)
        throw new ValidationError(`"${name}" names a channel on ${matches.map((c) => c.network).join(' and ')}: add --network <one of them>`);
      const { setIntrospectionToken } = await import('../services/sources');
      await setIntrospectionToken({ store, now: () => new Date() }, keys, { workspace, actor: CLI_ACTOR }, matches[0]!, token);
      const app = introspectedBy(matches[0]!.network);
      const added = (await store.sources().list(workspaceId)).some((s) => s.kind === app);
      return { connection: matches[0]!, app, added };
    });
    const { connection: c, app, added } = set;
    if (token === null) io.err(`the token of ${c.name} (${c.network}) is removed`);
    else if (added) io.err(`the token of ${c.name} (${c.network}) is set; each sync introspects it`);
    else
      io.err(
        `the token of ${c.name} (${c.network}) is set, but nothing reads it yet: add the team's app with "channel-keeper sources add ${app} --workspace ${workspaceId} --client-id ID --client-secret-file FILE"`,
      );
    return 0;
  },
});

/**
 * manifest.yml (Socket Mode, one workspace) and manifest.distribution.yml (HTTP, Slack OAuth, many
 * workspaces) must create an app that can do what the code does, and ask for nothing more.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CHANNELS_COMMAND } from '../../src/bot/commands';
import { BOT_EVENTS } from '../../src/bot/events';
import { EVENTS_PATH } from '../../src/bot/app';
import { REDIRECT_PATH } from '../../src/bot/oauth/pages';
import { UNINSTALL_EVENTS } from '../../src/bot/oauth/uninstall';
import { BOT_SCOPES } from '../../src/bot/oauth/scopes';
import { STEP_EVENT, STEP_PARAMETERS, WORKFLOW_STEPS } from '../../src/bot/workflow-steps';

const ROOT = path.join(__dirname, '..', '..');
const manifest = parse(fs.readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
const distribution = parse(fs.readFileSync(path.join(ROOT, 'manifest.distribution.yml'), 'utf8'));

/** Web API method → the bot scopes it needs (null: none). A method missing here fails the test: add it. */
const METHOD_SCOPES: Record<string, string | string[] | null> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write',
  'users.info': 'users:read',
  'users.list': 'users:read',
  'conversations.open': 'im:write',
  'conversations.info': 'channels:read',
  // Public and private alert channels, and the bot's DMs (looking for a post before repeating it).
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'views.open': null,
  'views.update': null,
  'views.push': null,
  'views.publish': null,
  'auth.test': null,
  // /readyz in multi-workspace mode: whether Slack answers at all, without a token.
  'api.test': null,
  // files.getUploadURLExternal + files.completeUploadExternal, through @slack/web-api's filesUploadV2.
  'files.uploadV2': 'files:write',
  // The status canvas.
  'conversations.canvases.create': 'canvases:write',
  'canvases.edit': 'canvases:write',
  'canvases.sections.lookup': 'canvases:read',
};
/** Events and the scope Slack requires to subscribe to them. */
const EVENT_SCOPES: Record<string, string | null> = {
  app_home_opened: null,
  user_change: 'users:read',
  member_joined_channel: 'channels:read',
  app_uninstalled: null,
  tokens_revoked: null,
  function_executed: null,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

const botSource = sourceFiles(path.join(ROOT, 'src', 'bot'))
  .map((file) => fs.readFileSync(file, 'utf8'))
  .join('\n');

function calledMethods(): string[] {
  const methods = new Set<string>();
  for (const m of botSource.matchAll(/client\.([a-z]+)\.([a-zA-Z]+)\(/g)) methods.add(`${m[1]}.${m[2]}`);
  for (const m of botSource.matchAll(/client\.([a-z]+)\.([a-z]+)\.([a-zA-Z]+)\(/g)) methods.add(`${m[1]}.${m[2]}.${m[3]}`);
  for (const m of botSource.matchAll(/apiCall\(\s*['"]([a-zA-Z.]+)['"]/g)) methods.add(m[1]!);
  if (/client\.filesUploadV2\(/.test(botSource)) methods.add('files.uploadV2');
  return [...methods].sort();
}

describe('manifest.yml', () => {
  const scopes: string[] = manifest.oauth_config.scopes.bot;

  it('declares the /channels command with a description, usage hint and escaped mentions', () => {
    const commands = manifest.features.slash_commands as { command: string; description: string; usage_hint: string; should_escape: boolean }[];
    expect(commands.map((c) => c.command)).toEqual([CHANNELS_COMMAND]);
    const [channels] = commands;
    expect(channels!.description.length).toBeGreaterThan(10);
    expect(channels!.usage_hint).toContain('status');
    // The parser reads <@U…|name> mentions; without escaping Slack would send plain "@name".
    expect(channels!.should_escape).toBe(true);
    expect(scopes).toContain('commands');
  });

  it('subscribes to exactly the events the code listens to (uninstall events are multi-workspace only)', () => {
    const listened = [...botSource.matchAll(/app\.event\('([a-z_]+)'/g)].map((m) => m[1]).sort();
    expect(listened).toEqual([...BOT_EVENTS, ...UNINSTALL_EVENTS].sort());
    // Workflow steps arrive as function_executed events, listened to through app.function.
    expect(botSource).toContain('app.function(step');
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS, STEP_EVENT].sort());
  });

  it('has every scope the code needs and none it does not use', () => {
    const methods = calledMethods();
    expect(methods).toEqual(expect.arrayContaining(['chat.postMessage', 'users.info', 'views.open']));
    const unknown = methods.filter((m) => !(m in METHOD_SCOPES));
    expect(unknown).toEqual([]);
    const needed = new Set<string>(['commands']);
    for (const m of methods) for (const scope of [METHOD_SCOPES[m] ?? []].flat()) needed.add(scope);
    for (const e of [...BOT_EVENTS, ...UNINSTALL_EVENTS, STEP_EVENT]) if (EVENT_SCOPES[e] !== null) needed.add(EVENT_SCOPES[e] ?? `unknown scope for ${e}`);
    expect([...scopes].sort()).toEqual([...needed].sort());
    // What an OAuth install asks for is the same list.
    expect([...BOT_SCOPES].sort()).toEqual([...needed].sort());
  });

  it('turns on what the app uses: home tab, interactivity, Socket Mode, a bot user', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.bot_user.display_name).toBe('Channel Keeper');
    expect(manifest.display_information.name).toBe('Channel Keeper');
    // Slack refuses long descriptions under 175 characters.
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });
});

describe.each([
  ['manifest.yml', manifest],
  ['manifest.distribution.yml', distribution],
])('%s: Workflow Builder steps', (_name, m) => {
  it('declares exactly the steps the code listens to, as an org-ready app running them itself', () => {
    expect(Object.keys(m.functions).sort()).toEqual([...WORKFLOW_STEPS].sort());
    // Slack runs custom steps of org-ready apps only, and a Bolt app runs its own (remote) functions.
    expect(m.settings.org_deploy_enabled).toBe(true);
    expect(m.settings.function_runtime).toBe('remote');
    expect(m.settings.interactivity.is_enabled).toBe(true);
  });

  it.each(WORKFLOW_STEPS)('%s: its inputs and outputs are the ones the code reads and writes', (step) => {
    const declared = m.functions[step];
    expect(declared.title.length).toBeGreaterThan(5);
    expect(declared.title.length).toBeLessThanOrEqual(255);
    expect(declared.description.length).toBeGreaterThan(10);
    const expected = STEP_PARAMETERS[step];
    expect(Object.keys(declared.input_parameters.properties).sort()).toEqual([...expected.inputs].sort());
    expect([...(declared.input_parameters.required ?? [])].sort()).toEqual([...expected.required].sort());
    expect(Object.keys(declared.output_parameters.properties ?? {}).sort()).toEqual([...expected.outputs].sort());
    for (const parameter of Object.values({ ...declared.input_parameters.properties, ...declared.output_parameters.properties }) as {
      type: string;
      title: string;
    }[]) {
      expect(parameter.type).toMatch(/^(string|number|boolean|slack#\/types\/[a-z_]+)$/);
      expect(parameter.title.length).toBeGreaterThan(0);
    }
    // The person the workflow runs for is Slack's user context (the acting_user input).
    expect(declared.input_parameters.properties.acting_user.type).toBe('slack#/types/user_context');
  });
});

describe('manifest.distribution.yml', () => {
  const url = (value: string) => new URL(value).pathname;

  it('is the same app as manifest.yml: name, command, scopes, home tab', () => {
    expect(distribution.display_information).toEqual(manifest.display_information);
    expect(distribution.features.app_home).toEqual(manifest.features.app_home);
    expect(distribution.features.bot_user).toEqual(manifest.features.bot_user);
    const strip = (c: Record<string, unknown>) => ({ ...c, url: undefined });
    expect(distribution.features.slash_commands.map(strip)).toEqual(manifest.features.slash_commands.map(strip));
    expect([...distribution.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('runs over HTTP: every request URL is the bot path, the redirect URL is the OAuth path', () => {
    expect(distribution.settings.socket_mode_enabled).toBe(false);
    expect(url(distribution.features.slash_commands[0].url)).toBe(EVENTS_PATH);
    expect(url(distribution.settings.event_subscriptions.request_url)).toBe(EVENTS_PATH);
    expect(distribution.settings.interactivity.is_enabled).toBe(true);
    expect(url(distribution.settings.interactivity.request_url)).toBe(EVENTS_PATH);
    expect(distribution.oauth_config.redirect_urls.map(url)).toEqual([REDIRECT_PATH]);
  });

  it('subscribes to the bot events and to both uninstall events, and rotates tokens (which the code refreshes)', () => {
    expect([...distribution.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS, ...UNINSTALL_EVENTS, STEP_EVENT].sort());
    expect(distribution.functions).toEqual(manifest.functions);
    expect(distribution.settings.token_rotation_enabled).toBe(true);
  });
});

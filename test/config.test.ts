import { Writable } from 'node:stream';
import path from 'node:path';
import { loadConfig, requireSlack } from '../src/config';
import { ConfigError } from '../src/errors';
import { createLogger } from '../src/logger';

describe('loadConfig', () => {
  it('defaults to the embedded SQLite file under ./data', () => {
    const config = loadConfig({}, '/srv/ck');
    expect(config.database).toEqual({
      provider: 'sqlite',
      url: 'file:/srv/ck/data/channel-keeper.db',
      filePath: path.resolve('/srv/ck/data/channel-keeper.db'),
    });
    expect(config.port).toBe(3000);
    expect(config.slack.socketMode).toBe(false);
  });

  it('selects PostgreSQL from a postgresql:// URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://ck@db.internal:5432/ck' }).database.provider).toBe('postgresql');
  });

  it('groups later warnings over 5 minutes unless OUTBOX_GROUP_INTERVAL_MS says otherwise (0: at once)', () => {
    expect(loadConfig({}).groupIntervalMs).toBe(300_000);
    expect(loadConfig({ OUTBOX_GROUP_INTERVAL_MS: '0' }).groupIntervalMs).toBe(0);
    expect(loadConfig({ OUTBOX_GROUP_INTERVAL_MS: '60000' }).groupIntervalMs).toBe(60_000);
    expect(() => loadConfig({ OUTBOX_GROUP_INTERVAL_MS: '5m' })).toThrow(/OUTBOX_GROUP_INTERVAL_MS must be a whole number of milliseconds/);
  });

  it('takes PRIVACY_URL and SUPPORT_URL as http(s) addresses, and refuses anything else saying what to give', () => {
    expect(loadConfig({})).toMatchObject({ privacyUrl: null, supportUrl: null });
    const set = loadConfig({ PRIVACY_URL: 'https://acme.example/privacy', SUPPORT_URL: 'http://help.acme.example/' });
    expect(set).toMatchObject({ privacyUrl: 'https://acme.example/privacy', supportUrl: 'http://help.acme.example/' });
    expect(() => loadConfig({ PRIVACY_URL: 'javascript:alert(1)' })).toThrow(
      /^PRIVACY_URL: .*is not a web address: give the page’s web address, starting with https:\/\//,
    );
    expect(() => loadConfig({ SUPPORT_URL: 'mailto:help@acme.example' })).toThrow(/^SUPPORT_URL: .*starting with https:\/\//);
    expect(() => loadConfig({ SUPPORT_URL: 'https://acme.example/a b' })).toThrow(/^SUPPORT_URL: The address cannot contain spaces/);
  });

  it('uses Socket Mode when an app token is set, unless SLACK_SOCKET_MODE=false', () => {
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1' }).slack.socketMode).toBe(true);
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'false' }).slack.socketMode).toBe(false);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with file:/],
    [{ DATABASE_URL: 'postgresql://host-only' }, /must name a host and a database/],
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ SLACK_SOCKET_MODE: 'yes' }, /SLACK_SOCKET_MODE must be one of true, false; got "yes"/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT must be one of json, pretty; got "xml"/],
    [{ SLACK_API_URL: 'ftp://slack' }, /SLACK_API_URL must be an http\(s\) URL/],
    [{ SLACK_ALERT_CHANNEL: '#alerts' }, /SLACK_ALERT_CHANNEL must be a channel id/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT must be a port number \(0-65535\); got "70000"/],
    [{ METRICS_HOST: 'http://0.0.0.0' }, /METRICS_HOST must be an address to listen on/],
    [{ HOST: 'all interfaces' }, /HOST must be an address to listen on/],
    [{ PUBLIC_URL: 'http://keeper.example.com' }, /PUBLIC_URL must be the https address .* \(calendars and Slack need https\)/],
    [{ PUBLIC_URL: 'keeper.example.com' }, /PUBLIC_URL must be the https address/],
    [{ PUBLIC_URL: 'https://keeper.example.com/?team=1' }, /without a user, query or fragment/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
  });
});

describe('ops endpoints and the public address', () => {
  it('serves /metrics on 9464, on loopback unless a token protects it or METRICS_HOST says where', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: 9464, metricsHost: null, metricsToken: null, host: null });
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '::', HOST: '0.0.0.0' })).toMatchObject({ metricsPort: 0, metricsHost: '::', host: '0.0.0.0' });
  });

  it('refuses a short or spaced METRICS_TOKEN without repeating it', () => {
    for (const token of ['short-secret', 'a token with spaces in it']) {
      expect(() => loadConfig({ METRICS_TOKEN: token })).toThrow(/METRICS_TOKEN must be at least 16 printable characters/);
      expect(() => loadConfig({ METRICS_TOKEN: token })).not.toThrow(token);
    }
    expect(loadConfig({ METRICS_TOKEN: 'f'.repeat(32) }).metricsToken).toBe('f'.repeat(32));
  });

  it('keeps PUBLIC_URL without its trailing slash, a path prefix included', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://keeper.example.com/' }).publicUrl).toBe('https://keeper.example.com');
    expect(loadConfig({ PUBLIC_URL: 'https://Example.com:8443/tools/keeper/' }).publicUrl).toBe('https://example.com:8443/tools/keeper');
  });
});

describe('loadConfig for one command', () => {
  it('never checks a variable the command does not use', () => {
    const env = { PORT: 'abc', LOG_FORMAT: 'xml', SLACK_SOCKET_MODE: 'maybe', SLACK_ALERT_CHANNEL: '#x', DATABASE_URL: 'file:/srv/ck/x.db' };
    const config = loadConfig(env, '/srv', ['DATABASE_URL']);
    expect(config.database.filePath).toBe('/srv/ck/x.db');
    expect(config.port).toBe(3000);
    expect(() => loadConfig(env, '/srv', ['DATABASE_URL', 'PORT'])).toThrow(/PORT must be a port number/);
  });

  it('knows whether LOG_LEVEL was set', () => {
    expect(loadConfig({}).logLevelSet).toBe(false);
    expect(loadConfig({ LOG_LEVEL: 'debug' })).toMatchObject({ logLevel: 'debug', logLevelSet: true });
  });
});

describe('requireSlack', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };
  it.each([
    [{}, /SLACK_BOT_TOKEN is not set.*Create the Slack app/],
    [{ SLACK_BOT_TOKEN: 'xoxp-user' }, /must be a bot token starting with xoxb-/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /SLACK_SIGNING_SECRET is not set/],
    [{ ...base, SLACK_SOCKET_MODE: 'true' }, /needs SLACK_APP_TOKEN/],
    [{ ...base, SLACK_APP_TOKEN: 'xoxb-wrong' }, /starting with xapp-/],
  ])('refuses %j', (env, message) => {
    expect(() => requireSlack(loadConfig(env as NodeJS.ProcessEnv))).toThrow(message);
  });

  it('returns the credentials when they are complete', () => {
    expect(requireSlack(loadConfig({ ...base, SLACK_API_URL: 'http://127.0.0.1:9/api' }))).toEqual({
      botToken: 'xoxb-1',
      signingSecret: 'secret',
      appToken: null,
      socketMode: false,
      apiUrl: 'http://127.0.0.1:9/api/',
      oauth: null,
    });
  });
});

describe('multi-workspace mode settings', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const oauth = { SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'ss', SLACK_SIGNING_SECRET: 'secret', TOKEN_ENCRYPTION_KEY: key };

  it('turns on with the three OAuth variables and the key, over HTTP, without a bot token', () => {
    const slack = requireSlack(loadConfig(oauth));
    expect(slack.oauth).toMatchObject({ clientId: '1.2', clientSecret: 'cs', stateSecret: 'ss', retentionDays: 30, previousEncryptionKey: null });
    expect(slack.oauth!.encryptionKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(slack.socketMode).toBe(false);
    expect(requireSlack(loadConfig({ ...oauth, UNINSTALL_RETENTION_DAYS: '7' })).oauth!.retentionDays).toBe(7);
  });

  it.each([
    [{ TOKEN_ENCRYPTION_KEY: undefined }, /^TOKEN_ENCRYPTION_KEY is not set/],
    [{ TOKEN_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /^TOKEN_ENCRYPTION_KEY must be 32 bytes written in base64/],
    [{ TOKEN_ENCRYPTION_KEY: 'not base64 at all!' }, /^TOKEN_ENCRYPTION_KEY must be 32 bytes/],
    [{ TOKEN_ENCRYPTION_KEY_PREVIOUS: 'short' }, /^TOKEN_ENCRYPTION_KEY_PREVIOUS must be 32 bytes/],
    [{ SLACK_STATE_SECRET: undefined }, /^SLACK_STATE_SECRET is not set/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_BOT_TOKEN is for one workspace/],
    [{ SLACK_APP_TOKEN: 'xapp-1' }, /runs over HTTP/],
  ])('refuses %j with one line', (change, message) => {
    const env: Record<string, string | undefined> = { ...oauth, ...change };
    let error: Error | null = null;
    try {
      requireSlack(loadConfig(env as NodeJS.ProcessEnv));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error!.message).not.toContain('\n');
    expect(error!.message).not.toContain(key);
  });

  it('refuses a retention that is not a whole number of days', () => {
    expect(() => loadConfig({ UNINSTALL_RETENTION_DAYS: '2w' })).toThrow(/^UNINSTALL_RETENTION_DAYS must be a whole number/);
  });
});

describe('logger', () => {
  it('writes JSON and never the tokens or secrets it is handed', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info(
      {
        token: 'xoxb-secret-1',
        installation: { bot: { token: 'xoxb-secret-2' } },
        signingSecret: 'sig-3',
        headers: { authorization: 'Bearer xoxb-secret-4' },
        workspace: 'T1',
      },
      'hello',
    );
    const text = lines.join('');
    expect(JSON.parse(text)).toMatchObject({ msg: 'hello', workspace: 'T1', token: '[redacted]' });
    expect(text).not.toMatch(/secret-|sig-3/);
  });
});

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

  it('uses Socket Mode when an app token is set, unless SLACK_SOCKET_MODE=false', () => {
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1' }).slack.socketMode).toBe(true);
    expect(loadConfig({ SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'false' }).slack.socketMode).toBe(false);
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with file:/],
    [{ DATABASE_URL: 'postgresql://host-only' }, /must name a host and a database/],
    [{ PORT: 'eighty' }, /PORT must be a port number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ SLACK_SOCKET_MODE: 'yes' }, /SLACK_SOCKET_MODE must be true or false/],
    [{ SLACK_API_URL: 'ftp://slack' }, /SLACK_API_URL must be an http\(s\) URL/],
    [{ SLACK_ALERT_CHANNEL: '#alerts' }, /SLACK_ALERT_CHANNEL must be a channel id/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig(env as NodeJS.ProcessEnv)).toThrow(message);
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
    });
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

describe('.env.example and the README', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  const root = path.join(__dirname, '..');
  const sources = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) =>
        e.isDirectory() ? (e.name === 'generated' ? [] : sources(path.join(dir, e.name))) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
      );
  const read = sources(path.join(root, 'src'))
    .flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!))
    .filter((name) => name !== 'MIGRATION_POSTGRES_URL'); // a development setting, documented under Development

  it('lists every variable the code reads, and the README documents each', () => {
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(read.length).toBeGreaterThan(5);
    for (const name of new Set(read)) {
      expect(listed).toContain(name);
      expect(readme).toContain(`\`${name}\``);
    }
    expect(readme).toContain('MIGRATION_POSTGRES_URL');
  });
});

/**
 * The production install and the container, as processes against a clean copy of this checkout
 * (what a clone holds, uncommitted edits included). scripts/docker-stages.js runs the Dockerfile's
 * stages without Docker; its build stage is the production install of docs/deploy.md. `migrate`
 * and `serve` then start from that install, and from the runtime stage through the image's
 * entrypoint, healthcheck and stop signal, against the fake Slack.
 * One `npm ci` (a few minutes: better-sqlite3 compiles when no prebuilt binary can be downloaded).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enabledDatabases } from '../support/global-setup';
import { FakeSlack } from '../support/fake-slack';
import { freePort, health, processDatabase, root, until } from './process-support';

interface Image {
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string;
  volumes: string[];
  stopSignal: NodeJS.Signals;
  healthcheck: { command: string[] };
  entrypoint: string[];
  cmd: string[];
  stages: { name: string; commands: string[] }[];
}

/** The environment of a fresh shell: nothing from the npm or jest run that started this test. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|JEST_|CK_|DATABASE_URL$|TEST_)/i.test(key)));
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

interface Service {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startIn(cwd: string, command: string[], env: NodeJS.ProcessEnv): Service {
  let stderr = '';
  const child = spawn(command[0]!, command.slice(1), { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

/** Slack in HTTP mode against the fake Slack, as an operator's environment would hold it. */
function slackEnv(fake: FakeSlack, port: number): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'secret',
    SLACK_APP_TOKEN: '',
    SLACK_SOCKET_MODE: 'false',
    SLACK_API_URL: fake.apiUrl,
    PORT: String(port),
    LOG_LEVEL: 'info',
    // Any free port: another suite's serve may hold the default 9464.
    METRICS_PORT: '0',
  };
}

interface LockFile {
  packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>;
}

describe('production install and container stages', () => {
  let work: string;
  let image: Image;
  let install: string;
  let runtime: string;
  let fake: FakeSlack;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-production-'));
    const context = path.join(work, 'context');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' }).split('\0');
    for (const file of files.filter((f) => f && fs.existsSync(path.join(root, f)))) {
      fs.mkdirSync(path.dirname(path.join(context, file)), { recursive: true });
      fs.copyFileSync(path.join(root, file), path.join(context, file));
      fs.chmodSync(path.join(context, file), fs.statSync(path.join(root, file)).mode);
    }
    const out = path.join(work, 'stages');
    // Tarballs from npm's cache when it has them, as CI has just installed the same lockfile.
    const built = await run(
      process.execPath,
      [path.join(context, 'scripts', 'docker-stages.js'), context, out],
      work,
      cleanEnv({ npm_config_prefer_offline: 'true' }),
    );
    if (built.code !== 0) throw new Error(`the Dockerfile's stages failed:\n${built.output.slice(-4000)}`);
    image = JSON.parse(fs.readFileSync(path.join(out, 'image.json'), 'utf8')) as Image;
    install = path.join(out, image.stages[0]!.name, image.workdir);
    runtime = path.join(image.root, image.workdir);
  }, 30 * 60_000);

  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  beforeEach(async () => {
    fake = await new FakeSlack().start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  it("builds with the production install's commands that docs/deploy.md gives", () => {
    const deploy = fs.readFileSync(path.join(root, 'docs', 'deploy.md'), 'utf8');
    const [install] = image.stages[0]!.commands;
    expect(install).toMatch(/npm ci\b.*npm run build.*npm run prune:production/);
    expect(deploy).toContain(install);
  });

  it.each([
    ['the production install', () => install],
    ['the runtime stage', () => runtime],
  ])('%s holds every runtime package and no development package', (_name, dir) => {
    // The lockfile says which packages are for development only (dev), or for development and at
    // most optional at run time (devOptional: the Prisma CLI and TypeScript, @prisma/client's peers).
    const lock = JSON.parse(fs.readFileSync(path.join(dir(), 'package-lock.json'), 'utf8')) as LockFile;
    const entries = Object.entries(lock.packages).filter(([location]) => location);
    const present = (location: string) => fs.existsSync(path.join(dir(), location, 'package.json'));
    const development = entries.filter(([, entry]) => entry.dev || entry.devOptional).map(([location]) => location);
    const runtimePackages = entries.filter(([, entry]) => !entry.dev && !entry.devOptional && !entry.optional).map(([location]) => location);
    expect(development).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/prisma', 'node_modules/pino-pretty', 'node_modules/jest']));
    expect(development.filter(present)).toEqual([]);
    expect(runtimePackages.filter((location) => !present(location))).toEqual([]);
  });

  it('npm agrees the production install is complete', async () => {
    const listed = await run('npm', ['ls', '--omit=dev', '--all'], install, cleanEnv());
    expect(listed.output).not.toMatch(/^npm (error|ERR)/m);
    expect(listed.code).toBe(0);
  });

  it.each(enabledDatabases())(
    'the production install migrates %s and serves /healthz',
    async (provider) => {
      const database = await processDatabase(provider, 'ck_production');
      const port = await freePort();
      const env = cleanEnv({ ...slackEnv(fake, port), DATABASE_URL: database.url });
      try {
        const migrated = await run(process.execPath, ['bin/channel-keeper.js', 'migrate'], install, env);
        expect(migrated.output).toMatch(/applied \d+ migrations/);
        expect(migrated.code).toBe(0);
        const service = startIn(install, [process.execPath, 'bin/channel-keeper.js', 'serve'], env);
        try {
          expect(await until(async () => ((await health(port)) === 200 ? 200 : undefined), '/healthz to answer 200', 60_000)).toBe(200);
          service.child.kill('SIGTERM');
          expect(await service.exited).toBe(0);
        } finally {
          if (service.child.exitCode === null) service.child.kill('SIGKILL');
        }
        // JSON log lines: pino-pretty is not there to ask for.
        const lines = service.stderr().trim().split('\n');
        expect(lines.filter((line) => !line.startsWith('{'))).toEqual([]);
        expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('Channel Keeper is running');
      } finally {
        await database.drop();
      }
    },
    120_000,
  );

  it("the runtime stage starts through the image's entrypoint: migrations first, then serve; its healthcheck passes and its stop signal stops it", async () => {
    const port = await freePort();
    // As `docker run -e PORT=…`: the image's environment, then the operator's. DATABASE_URL unset:
    // the default SQLite file, in the image's volume.
    const env = cleanEnv({ ...image.env, ...slackEnv(fake, port) });
    const container = startIn(runtime, [...image.entrypoint, ...image.cmd], env);
    try {
      await until(async () => ((await health(port)) === 200 ? true : undefined), '/healthz to answer 200', 60_000);
      const check = await run(image.healthcheck.command[0]!, image.healthcheck.command.slice(1), runtime, env);
      expect(check.code).toBe(0);
      container.child.kill(image.stopSignal);
      expect(await container.exited).toBe(0);
    } finally {
      if (container.child.exitCode === null) container.child.kill('SIGKILL');
    }
    expect(container.stderr()).toContain(
      `applied ${fs.readdirSync(path.join(runtime, 'prisma', 'migrations', 'sqlite')).filter((name) => /^\d/.test(name)).length} migrations to file:${path.join(runtime, 'data', 'channel-keeper.db')}`,
    );
    expect(image.volumes.map((volume) => path.posix.relative(image.workdir, volume))).toEqual(['data']);
    expect(fs.existsSync(path.join(runtime, 'data', 'channel-keeper.db'))).toBe(true);
    expect(image.user).not.toBe('root');
  }, 120_000);

  it("the runtime stage's healthcheck fails while nothing answers", async () => {
    const port = await freePort();
    const check = await run(image.healthcheck.command[0]!, image.healthcheck.command.slice(1), runtime, cleanEnv({ ...image.env, PORT: String(port) }));
    expect(check.code).toBe(1);
    expect(check.output).toContain(`/healthz on port ${port} did not answer`);
  });
});

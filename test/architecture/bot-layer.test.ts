/**
 * src/bot reaches the database through src/services only (docs/architecture.md "Layers"): the two
 * rules that hold it fire on a fixture that breaks them, and pass on the real tree. Both tools run
 * as `npm run lint` runs them, as processes with the repository's own configuration.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

function run(bin: string, args: string[], cwd: string, input?: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, input, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** ESLint on `code` as if it were the file at `file` (no file is written). */
function eslintOn(file: string, code: string) {
  return run(ESLINT, ['--no-warn-ignored', '--stdin', '--stdin-filename', file], ROOT, code);
}

const STORE_CALL = `export async function listener(deps: { store: { connections: { list(id: string): Promise<unknown[]> } } }): Promise<number> {
  return (await deps.store.connections.list('T1')).length;
}
`;

describe('ESLint: no store call from src/bot', () => {
  it('refuses a store call through the dependencies in src/bot', () => {
    const { status, output } = eslintOn('src/bot/fixture-listener.ts', STORE_CALL);
    expect(status).toBe(1);
    expect(output).toContain('src/bot does not call the store');
  });

  it('refuses a store taken out of the dependencies and called', () => {
    const code = `export async function listener(deps: { store: { ping(): Promise<void> } }): Promise<void> {
  const store = deps['store'];
  await store.ping();
}
`;
    const { status, output } = eslintOn('src/bot/views/fixture-listener.ts', code);
    expect(status).toBe(1);
    expect(output.match(/src\/bot does not call the store/g)).toHaveLength(2);
  });

  it('lets the same call stand in a use case', () => {
    expect(eslintOn('src/services/fixture-use-case.ts', STORE_CALL)).toEqual({ status: 0, output: '' });
  });

  it('passes on the real src/bot', () => {
    expect(run(ESLINT, ['--no-cache', 'src/bot'], ROOT)).toEqual({ status: 0, output: '' });
  });
});

describe('dependency-cruiser: src/bot never imports src/store', () => {
  let dir: string;

  /** A small tree with the repository's layer configuration: a store, a use case over it, and `bot`. */
  function cruise(bot: string): { status: number | null; output: string } {
    rmSync(path.join(dir, 'src'), { recursive: true, force: true });
    for (const folder of ['src/store', 'src/services', 'src/bot']) mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, 'src/store/store.ts'), 'export class Store {\n  async ping(): Promise<void> {}\n}\n');
    writeFileSync(
      path.join(dir, 'src/services/probe.ts'),
      "import type { Store } from '../store/store';\n\nexport function probe(store: Store): Promise<void> {\n  return store.ping();\n}\n",
    );
    writeFileSync(path.join(dir, 'src/bot/listener.ts'), bot);
    return run(DEPCRUISE, ['--config', path.join(ROOT, '.dependency-cruiser.cjs'), 'src'], dir);
  }

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bot-layer-'));
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixture', private: true }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a type-only import of the store in src/bot', () => {
    const { status, output } = cruise("import type { Store } from '../store/store';\n\nexport type Handle = Store;\n");
    expect(status).not.toBe(0);
    expect(output).toContain('bot-never-store');
  });

  it('refuses a value import of the store in src/bot', () => {
    const { status, output } = cruise("import { Store } from '../store/store';\n\nexport const made = new Store();\n");
    expect(status).not.toBe(0);
    expect(output).toContain('bot-never-store');
  });

  it('lets src/bot reach the store through a use case', () => {
    const { status, output } = cruise("import { probe } from '../services/probe';\n\nexport const check = probe;\n");
    expect(output).not.toContain('bot-never-store');
    expect(status).toBe(0);
  });

  it('passes on the real src/', () => {
    const { status, output } = run(DEPCRUISE, ['src'], ROOT);
    expect(output).toContain('no dependency violations found');
    expect(status).toBe(0);
  });
});

/**
 * A repository touches one entity and constructs no other repository (docs/architecture.md
 * "Layers"): a change over several entities is a use case's transaction in src/services. The lint
 * rule that holds it fires on a fixture that breaks it, and passes on the real store.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

function eslint(args: string[], input?: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [ESLINT, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** ESLint on `code` as if it were the file at `file` (no file is written). */
function eslintOn(file: string, code: string) {
  return eslint(['--no-warn-ignored', '--stdin', '--stdin-filename', file], code);
}

const OTHER_REPOSITORY = `class AuditRepository {
  constructor(readonly db: unknown) {}
}

export class FixtureRepository {
  constructor(private readonly db: unknown) {}

  audit(): AuditRepository {
    return new AuditRepository(this.db);
  }
}
`;

describe('ESLint: a repository constructs no other repository', () => {
  it('refuses a repository built inside a repository', () => {
    const { status, output } = eslintOn('src/store/fixture-repository.ts', OTHER_REPOSITORY);
    expect(output).toContain('A repository constructs no other repository');
    expect(status).toBe(1);
  });

  it('lets the store build its repositories', () => {
    expect(eslintOn('src/store/store.ts', OTHER_REPOSITORY)).toEqual({ status: 0, output: '' });
  });

  it('passes on the real src/store', () => {
    expect(eslint(['--no-cache', 'src/store'])).toEqual({ status: 0, output: '' });
  });
});

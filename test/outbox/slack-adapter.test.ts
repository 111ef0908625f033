/**
 * The Slack adapter (src/bot/delivery) writes no row: it cannot reach the store at all, so every
 * move of a warning between states is the outbox worker's. Checked on the imports themselves, and
 * the lint rule that keeps it so is in place.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const ADAPTER = path.join(ROOT, 'src/bot/delivery');

function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => path.relative(ROOT, path.resolve(path.dirname(file), name)));
}

describe('the Slack adapter of the outbox', () => {
  const files = fs.readdirSync(ADAPTER).filter((name) => name.endsWith('.ts'));

  it('imports nothing from src/store, not even a type', () => {
    expect(files).toContain('slack-port.ts');
    const imports = files.flatMap((name) => importsOf(path.join(ADAPTER, name)).map((target) => `${name} → ${target}`));
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((line) => line.includes('src/store/'))).toEqual([]);
  });

  it('is held to it by a dependency-cruiser rule', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = require(path.join(ROOT, '.dependency-cruiser.cjs')) as { forbidden: { name: string; from: { path: string }; to: { path: string } }[] };
    const rule = config.forbidden.find((r) => r.name === 'slack-adapter-writes-no-row');
    expect(rule).toMatchObject({ from: { path: '^src/bot/delivery/' }, to: { path: '^src/store/' } });
  });
});

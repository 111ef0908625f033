/**
 * The documented "Command line" table (docs/command-line.md) and "Configuration" table
 * (docs/operations.md), and `.env.example`, match the code: every visible command with exactly its
 * options, every variable with its default and allowed values.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command, Option } from 'commander';
import { buildProgram } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli';
import { CONFIG_VARIABLES } from '../../src/config';
import { CSV_COLUMNS, OPTIONAL_COLUMNS } from '../../src/transfer/columns';
import { EXPORT_FORMATS } from '../../src/transfer/export-connections';

const ROOT = path.join(__dirname, '..', '..');
const doc = (name: string): string => fs.readFileSync(path.join(ROOT, 'docs', name), 'utf8');
const COMMAND_LINE = doc('command-line.md');
const OPERATIONS = doc('operations.md');
const DEVELOPMENT = doc('development.md');

/** The rows of the first table after `heading` in `text`: cells with the surrounding pipes removed. */
function tableAfter(text: string, heading: string): string[][] {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start).toBeGreaterThan(-1);
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(first + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, '|')),
    );
  }
  return rows;
}

const program = buildProgram(COMMANDS, { out: () => undefined, err: () => undefined }, () => undefined);
const visible = COMMANDS.filter((c) => !c.hidden);

function commandNamed(name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command ${name}`);
  return found;
}

describe('docs/command-line.md "Command line" table', () => {
  const rows = tableAfter(COMMAND_LINE, '## Command line');
  const usages = rows.map((row) => row[0]!.replace(/^`|`$/g, ''));

  it('lists every command users see, in the order of the help, and no hidden one', () => {
    expect(usages.map((u) => u.split(' ')[0])).toEqual(visible.map((c) => c.name));
  });

  it.each(visible.map((c) => c.name))('%s: the table shows exactly its options and arguments', (name) => {
    const usage = usages.find((u) => u.split(' ')[0] === name)!;
    const command = commandNamed(name);
    const flags = [...usage.matchAll(/--[a-z-]+/g)].map((m) => m[0]).sort();
    const options = command.options.map((o: Option) => o.long!).sort();
    expect(flags).toEqual(options);
    for (const option of command.options) {
      const shown = (option as Option & { required?: boolean; mandatory?: boolean }).mandatory ? option.long! : `[${option.long}`;
      expect(usage).toContain(shown);
    }
    const args = command.registeredArguments.map((a) => `<${a.name()}>`);
    for (const arg of args) expect(usage).toContain(arg);
  });

  it('names every export format', () => {
    const row = rows.find((r) => r[0]!.startsWith('`export'))!;
    for (const format of EXPORT_FORMATS) expect(row[1]).toContain(`\`${format}\``);
  });

  it('every command answers --help with an example', () => {
    for (const spec of COMMANDS) expect(spec.examples.length).toBeGreaterThan(0);
  });
});

describe('docs/operations.md "Configuration" table and .env.example', () => {
  const rows = tableAfter(OPERATIONS, '## Configuration');

  it('lists exactly the variables the code reads, with their defaults', () => {
    expect(rows.map((r) => r[0])).toEqual(CONFIG_VARIABLES.map((v) => `\`${v.name}\``));
    for (const variable of CONFIG_VARIABLES) {
      const row = rows.find((r) => r[0] === `\`${variable.name}\``)!;
      expect(row[1]).toBe(variable.default);
    }
  });

  it('names every allowed value of a variable with a fixed set', () => {
    for (const variable of CONFIG_VARIABLES) {
      if (!('values' in variable)) continue;
      const row = rows.find((r) => r[0] === `\`${variable.name}\``)!;
      for (const value of variable.values) expect(row[2]).toContain(`\`${value}\``);
    }
  });

  it('.env.example has a line for every variable and no other', () => {
    const example = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(listed).toEqual(CONFIG_VARIABLES.map((v) => v.name));
  });

  it('the code reads no other variable of its own from the environment', () => {
    const sources = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) =>
          e.isDirectory() ? (e.name === 'generated' ? [] : sources(path.join(dir, e.name))) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
        );
    const read = new Set(
      sources(path.join(ROOT, 'src')).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!)),
    );
    // A development setting is documented in docs/development.md; NO_COLOR (the common convention)
    // beside the logging variables in docs/operations.md.
    for (const [name, documented] of [
      ['MIGRATION_POSTGRES_URL', DEVELOPMENT],
      ['NO_COLOR', OPERATIONS],
    ] as const) {
      read.delete(name);
      expect(documented).toContain(name);
    }
    const known = new Set<string>(CONFIG_VARIABLES.map((v) => v.name));
    expect([...read].filter((name) => !known.has(name))).toEqual([]);
  });
});

describe('docs/command-line.md CSV columns', () => {
  it('lists the import and export columns in the order export writes them, and each optional one', () => {
    const line = /^CSV columns \(header required, any order\):\n`([^`]+)`/m.exec(COMMAND_LINE)?.[1];
    expect(line).toBe(CSV_COLUMNS.join(','));
    const after = COMMAND_LINE.slice(COMMAND_LINE.indexOf(line!));
    for (const column of OPTIONAL_COLUMNS) expect(after.slice(0, 300)).toContain(`\`${column}\``);
  });
});

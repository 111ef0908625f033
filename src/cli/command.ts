/**
 * The `channel-keeper` command on commander: every command declares its arguments, options and an
 * example; commander gives `--help` for each, `--version`, hidden developer commands and the
 * closest valid option or command for a typo. Every error is one line on stderr and exit code 2:
 * a usage mistake, bad configuration, a database that cannot be opened or has no tables yet.
 * Exit code 1 is kept for a command that ran and failed (a check that failed for a workspace, an
 * import with bad rows).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ChannelKeeperError } from '../errors';
import { describeStartupError, firstLine } from './failure';

/** What every CLI command writes to (swapped in tests). */
export interface CliIo {
  /** stdout: results only (JSON lines, CSV, a person's report). */
  out(text: string): void;
  /** stderr: problems and progress. */
  err(text: string): void;
  /** stdout as a stream, for output too large to hold as one text (the exports); without it, `out` gets the whole text. */
  stdout?: NodeJS.WritableStream;
}

export interface CommandContext {
  /** The positional arguments, as declared. */
  args: string[];
  /** The options, by commander's camel-cased names. */
  opts: Record<string, unknown>;
  io: CliIo;
}

export interface CommandSpec {
  name: string;
  /** A few words for the command list. */
  summary: string;
  /** What `<command> --help` says (default: the summary). */
  description?: string;
  /** Examples shown under `--help` (at least one). */
  examples: string[];
  /** Left out of the top-level help (developer commands). */
  hidden?: boolean;
  /** Declares arguments and options on commander's command. */
  configure?(command: Command): void;
  action(context: CommandContext): Promise<number>;
}

export interface CliCommand extends CommandSpec {
  /** Runs this command alone with `args` (what follows its name), as `channel-keeper <name> …` would. */
  run(args: string[], io: CliIo): Promise<number>;
}

export function defineCommand(spec: CommandSpec): CliCommand {
  return { ...spec, run: (args, io) => runProgram([spec], [spec.name, ...args], io) };
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    stdout: process.stdout,
  };
}

export function version(): string {
  // src/cli or dist/cli: package.json is two folders up either way.
  const file = path.join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

const PROGRAM = 'channel-keeper';

/** Builds commander's program for `specs`; `done` receives the exit code of the command's action. */
export function buildProgram(specs: readonly CommandSpec[], io: CliIo, done: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .description('Keeps social media channel connections from silently disconnecting: the Slack bot, its daily checks and its data.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help (also: channel-keeper <command> --help)')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride();
  configureOutput(program, io, PROGRAM);
  program.addHelpText('after', `\nEvery command answers --help with its options and an example. Configuration: see docs/operations.md, "Configuration".`);
  for (const spec of specs) {
    const command = new Command(spec.name)
      .summary(spec.summary)
      .description(spec.description ?? spec.summary)
      .exitOverride()
      .allowExcessArguments(false);
    spec.configure?.(command);
    command.addHelpText('after', `\n${spec.examples.length > 1 ? 'Examples' : 'Example'}:\n${spec.examples.map((e) => `  $ ${PROGRAM} ${e}`).join('\n')}`);
    configureOutput(command, io, `${PROGRAM} ${spec.name}`);
    command.action(async (...received: unknown[]) => {
      // commander passes the declared arguments, then the options, then the command itself.
      const self = received.at(-1) as Command;
      const args = self.processedArgs.flat().filter((a): a is string => typeof a === 'string');
      done(await spec.action({ args, opts: self.opts(), io }));
    });
    program.addCommand(command, spec.hidden ? { hidden: true } : {});
  }
  return program;
}

function configureOutput(command: Command, io: CliIo, prefix: string): void {
  command.configureOutput({
    writeOut: (text) => io.out(text),
    writeErr: (text) => io.err(text),
    // One line: "channel-keeper import: unknown option '--forse' (did you mean --force?)".
    outputError: (text, write) => write(`${prefix}: ${oneLine(text.replace(/^error: /, ''))} (see ${prefix} --help)\n`),
  });
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.replace(/^\((Did you mean .*)\)$/, (_m, hint: string) => `(${hint.charAt(0).toLowerCase()}${hint.slice(1)})`))
    .join(' ');
}

/** Parses `argv` (without node and the script) and runs the command; returns the exit code. */
export async function runProgram(specs: readonly CommandSpec[], argv: readonly string[], io: CliIo): Promise<number> {
  let code: number | null = null;
  const program = buildProgram(specs, io, (c) => (code = c));
  if (!argv.length) {
    io.err(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version print to stdout and succeed; anything else was already said in one line.
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code) ? 0 : 2;
    }
    const name = argv[0] && specs.some((s) => s.name === argv[0]) ? `${PROGRAM} ${argv[0]}` : PROGRAM;
    if (error instanceof ChannelKeeperError) {
      io.err(`${PROGRAM}: ${error.message}`);
      return 2;
    }
    const startup = describeStartupError(error);
    if (startup) {
      io.err(`${name}: ${startup}`);
      return 2;
    }
    // Anything else is a bug: still one line, with the stack when the logs are asked for detail.
    const detail = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    io.err(`${name}: unexpected error: ${firstLine(error)}${detail ? `\n${(error as Error)?.stack ?? ''}` : ' (LOG_LEVEL=debug shows where)'}`);
    return 2;
  }
}

/** What every CLI command provides, and the output channels it writes to (swapped in tests). */
export interface CliIo {
  /** stdout: results only (JSON lines, CSV, a person's report). */
  out(text: string): void;
  /** stderr: problems and progress. */
  err(text: string): void;
}

export interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  hidden?: boolean;
  run(args: string[], io: CliIo): Promise<number>;
}

export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  };
}

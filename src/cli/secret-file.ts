/**
 * A credential for the source commands: read from a file, or from standard input with `-`, never
 * given as an argument (it would show in `ps` and the shell's history).
 */
import fs from 'node:fs';
import { ValidationError } from '../errors';

export async function readSecret(file: string, flag: string): Promise<string> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ValidationError(
      `cannot read ${flag} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; give a file holding only the secret, or - for standard input`,
    );
  }
  const secret = text.trim();
  if (!secret) throw new ValidationError(`${flag} ${file === '-' ? '(standard input)' : file} is empty: it must hold the secret`);
  if (/\s/.test(secret))
    throw new ValidationError(`${flag} ${file === '-' ? '(standard input)' : file} holds more than one word: it must hold only the secret`);
  return secret;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import fs from 'node:fs';
import { ChannelKeeperError } from '../errors';

/** The file's text, or one sentence saying why it cannot be read. */
export function readCsvFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ChannelKeeperError(`${file}: no such file`);
    if (code === 'EISDIR') throw new ChannelKeeperError(`${file} is a folder, not a CSV file`);
    if (code === 'EACCES') throw new ChannelKeeperError(`${file}: permission denied`);
    throw new ChannelKeeperError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    // Fatal decoding: a Latin-1 or UTF-16 file would otherwise import with garbled names.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ChannelKeeperError(`${file} is not UTF-8 text: save it as "CSV UTF-8" and import it again`);
  }
}

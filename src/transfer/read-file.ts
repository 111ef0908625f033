import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { ChannelKeeperError } from '../errors';

/**
 * The largest import file accepted: 256 MB, about two million rows of a typical export. The rows
 * are streamed, so memory does not grow with the file, but an import is one transaction and a
 * larger file would hold the database longer than an import should.
 */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** A file ready to be streamed (more than once): its size, checked against the limit. */
export interface CsvFile {
  path: string;
  bytes: number;
  /** The limit, enforced while reading too: a file that grows after the size check stops there. */
  maxBytes?: number;
}

export function openCsvFile(file: string, maxBytes = MAX_IMPORT_BYTES): CsvFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  if (stat.isDirectory()) throw unreadable(file, Object.assign(new Error('folder'), { code: 'EISDIR' }));
  // A device or a pipe (/dev/zero, /dev/stdin) has no size to check and may never end.
  if (!stat.isFile()) throw new ChannelKeeperError(`${file} is not a regular file: save the CSV to a file and import that`);
  if (stat.size > maxBytes) {
    throw new ChannelKeeperError(
      `${file} is ${megabytes(stat.size)}; the import limit is ${megabytes(maxBytes)}: split it into several files (each is imported all or nothing)`,
    );
  }
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (error) {
    throw unreadable(file, error);
  }
  return { path: file, bytes: stat.size, maxBytes };
}

/**
 * The file's text as a stream: UTF-8 checked as it goes (fatal), the BOM dropped and every line
 * ending made `\n`, exactly as `parseConnectionsCsv` does for a string. `onBytes` hears how many
 * bytes have been read so far (for progress).
 */
export function streamCsvText(file: CsvFile, onBytes?: (read: number) => void): Readable {
  const source = fs.createReadStream(file.path, { highWaterMark: 256 * 1024 });
  const limit = file.maxBytes ?? MAX_IMPORT_BYTES;
  return source.pipe(decodeCsvText(file.path, onBytes, limit)).on('error', () => source.destroy());
}

export function decodeCsvText(name: string, onBytes?: (read: number) => void, maxBytes = MAX_IMPORT_BYTES): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let read = 0;
  let first = true;
  let heldCr = false;
  const normalize = (text: string, last: boolean): string => {
    let out = heldCr ? `\r${text}` : text;
    heldCr = !last && out.endsWith('\r');
    if (heldCr) out = out.slice(0, -1);
    if (first && out.length) {
      first = false;
      if (out.charCodeAt(0) === 0xfeff) out = out.slice(1);
    }
    return out.replace(/\r\n?/g, '\n');
  };
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      onBytes?.(read);
      if (read > maxBytes) {
        done(
          new ChannelKeeperError(`${name} is over the import limit of ${megabytes(maxBytes)}: split it into several files (each is imported all or nothing)`),
        );
        return;
      }
      try {
        done(null, normalize(decoder.decode(chunk, { stream: true }), false));
      } catch {
        done(notUtf8(name));
      }
    },
    flush(done) {
      try {
        done(null, normalize(decoder.decode(), true));
      } catch {
        done(notUtf8(name));
      }
    },
  });
}

/** A string as the same kind of stream (tests, and callers that already hold the text). */
export function textStream(text: string): Readable {
  return Readable.from([Buffer.from(text, 'utf8')]).pipe(decodeCsvText('text'));
}

function unreadable(file: string, error: unknown): ChannelKeeperError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new ChannelKeeperError(`${file}: no such file`);
  if (code === 'EISDIR') return new ChannelKeeperError(`${file} is a folder, not a CSV file`);
  if (code === 'EACCES') return new ChannelKeeperError(`${file}: permission denied`);
  return new ChannelKeeperError(`cannot read ${file}: ${(error as Error).message}`);
}

function notUtf8(file: string): ChannelKeeperError {
  return new ChannelKeeperError(`${file} is not UTF-8 text: save it as "CSV UTF-8" and import it again`);
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

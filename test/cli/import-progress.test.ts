/** The import's progress line: on a terminal only, rewritten in place, cleared at the end. */
import { ProgressLine } from '../../src/cli/import-report';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => void writes.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

describe('ProgressLine', () => {
  it('prints nothing when stderr is not a terminal (a pipe, a log file)', () => {
    const { stream, writes } = fakeStream(false);
    const progress = new ProgressLine(stream);
    progress.update('writing', 500, 0.5, 1_000);
    progress.clear();
    expect(writes).toEqual([]);
  });

  it('shows rows, rows/s and the time left on one line, then clears it', () => {
    const { stream, writes } = fakeStream(true);
    const progress = new ProgressLine(stream);
    progress.update('checking', 2_000, 0.25);
    progress.update('writing', 1_000, 1, 1_000);
    progress.clear();
    // The terminal's erase-line escape is the point of these lines.
    /* eslint-disable no-control-regex */
    expect(writes[0]).toMatch(/^\r\x1b\[Kchecking: 2,000 rows, [\d,]+ rows\/s, [\d.]+ s left$/);
    expect(writes[1]).toMatch(/^\r\x1b\[Kwriting: 1,000 of 1,000 rows, [\d,]+ rows\/s, 0\.0 s left$/);
    /* eslint-enable no-control-regex */
    expect(writes[2]).toBe('\r\x1b[K');
  });
});

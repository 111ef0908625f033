/**
 * Long work lets the event loop in: while an import and then a check of a few thousand channels run
 * in-process, a 10 ms timer keeps firing (on SQLite every query answers synchronously, so without
 * the yields it would not fire once). A behaviour test, not a speed test: it counts turns only.
 */
import { silentLogger } from '../../src/logger';
import { runCheck } from '../../src/runs/check-run';
import { importConnections } from '../../src/services/import-connections';
import { csvImportSource } from '../../src/transfer/import-source';
import { describeEachDatabase } from '../support/databases';
import { newWorkspace } from '../support/factories';

const NOW = new Date('2026-11-28T10:00:00Z');
const CHANNELS = 4_000;

/** A file of `rows` channels, a third of them expired, a third due a refresh, a third fine. */
function csvOf(rows: number): string {
  const connected = ['2025-11-01', '2026-06-01', '2026-11-01'];
  const lines = Array.from({ length: rows }, (_, i) => `linkedin,company_page,Page ${i},,UOWNER,${connected[i % 3]},,2026-11-20,UBACKUP,connected`);
  return ['network,kind,name,url,owner,connected_at,last_refreshed_at,owner_last_active_at,backups,status', ...lines].join('\n');
}

/** Runs `work` while a 10 ms timer counts how often it got to fire. */
async function timerTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  const timer = setInterval(() => (turns += 1), 10);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    clearInterval(timer);
  }
}

describeEachDatabase('long work lets the event loop in', (db) => {
  it('a timer keeps firing while a few thousand channels are imported, then checked', async () => {
    const { store } = db();
    const ws = await newWorkspace(store);

    const imported = await timerTurnsDuring(() =>
      importConnections({ store, now: () => NOW }, { workspaceId: ws, source: csvImportSource({ text: csvOf(CHANNELS) }) }),
    );
    expect(imported.result).toMatchObject({ ok: true, summary: { created: CHANNELS } });
    expect(imported.turns).toBeGreaterThanOrEqual(2);

    const checked = await timerTurnsDuring(() => runCheck({ store, now: () => NOW, logger: silentLogger }, ws));
    expect(checked.result.counts.connections).toBe(CHANNELS);
    expect(checked.result.counts.created).toBeGreaterThan(CHANNELS / 2);
    expect(checked.turns).toBeGreaterThanOrEqual(2);
  });
});

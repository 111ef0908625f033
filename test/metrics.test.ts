/**
 * The workspace sums of /metrics: each workspace counts once, by its last check, for 25 hours, so
 * a workspace whose daily check moved to another replica leaves this one's sums.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { CHECK_COUNTS_FOR_MS, Metrics } from '../src/metrics';

const HOUR = 3_600_000;

async function series(metrics: Metrics, name: string): Promise<Record<string, string | undefined>> {
  const found = parsePrometheusTextFormat(await metrics.text()).find((f) => f.name === name);
  return Object.fromEntries((found?.metrics ?? []).map((m) => [Object.values(m.labels ?? {}).join(':'), m.value]));
}

describe('Metrics workspace sums', () => {
  it('sums the last check of each workspace checked in the past 25 hours', async () => {
    const clock = { t: 0 };
    const metrics = new Metrics({ processMetrics: false, clock: () => clock.t });
    const expiry = { kind: 'expiry', severity: 'at_risk' } as const;
    metrics.observeCheckRun({ workspace: 'T1', outcome: 'ok', seconds: 1, findings: [expiry, expiry] });
    metrics.setWarningsByState('T1', { posted: 2 });
    clock.t = 20 * HOUR;
    metrics.observeCheckRun({ workspace: 'T2', outcome: 'ok', seconds: 1, findings: [expiry] });
    metrics.setWarningsByState('T2', { posted: 1, pending: 1 });
    // A later check of T1 replaces its numbers rather than adding to them.
    metrics.observeCheckRun({ workspace: 'T1', outcome: 'ok', seconds: 1, findings: [expiry, expiry, expiry] });
    expect(await series(metrics, 'channel_keeper_findings')).toEqual({ 'expiry:at_risk': '4' });
    expect(await series(metrics, 'channel_keeper_warnings')).toMatchObject({ posted: '3', pending: '1' });

    // T1's warnings were last set at 0: past 25 hours they no longer count; its later findings do.
    clock.t = CHECK_COUNTS_FOR_MS + 1;
    expect(await series(metrics, 'channel_keeper_warnings')).toMatchObject({ posted: '1', pending: '1' });
    clock.t = 20 * HOUR + CHECK_COUNTS_FOR_MS + 1;
    expect(await series(metrics, 'channel_keeper_findings')).toEqual({ 'expiry:at_risk': '0' });
    expect(await series(metrics, 'channel_keeper_warnings')).toMatchObject({ posted: '0', pending: '0' });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import { runDemo } from '../../src/demo/run-demo';
import { sampleChannels } from '../../src/demo/sample-channels';

const NOW = new Date('2026-11-28T08:00:00Z');

describe('channel-keeper demo', () => {
  it('checks a sample channel in every state and prints each as it reads in Slack, leaving nothing behind', async () => {
    const tempBefore = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('channel-keeper-demo-'));
    const { text, summary } = await runDemo(NOW);
    for (const state of ['healthy', '30 days left', '3 days left', 'expired', 'inactive owner', 'no backup', 'disconnected']) {
      expect(text).toContain(`━━ ${state}:`);
    }
    expect(summary.dryRun).toBe(true);
    const stagesOf = (name: string) =>
      summary.warnings
        .filter((w) => w.connection === name)
        .map((w) => `${w.kind}:${w.stage}`)
        .sort();
    expect(stagesOf('Acme Corp')).toEqual([]);
    expect(stagesOf('Acme Careers')).toContain('expiry:30d');
    expect(stagesOf('Acme Engineering')).toContain('expiry:3d');
    expect(stagesOf('Acme on Facebook')).toEqual(['expiry:expired']);
    expect(stagesOf('Acme Labs')).toEqual(['inactivity:warn']);
    expect(stagesOf('Acme Instagram')).toEqual(['no_backup:none', 'security:no_2fa']);
    expect(stagesOf('Acme Ventures')).toEqual(['disconnected:disconnected']);
    expect(text).toContain('[Mark refreshed]');
    // People by the names the bot caches, as Slack shows a mention; words, not stored values.
    expect(text).toContain('Owner @Jonas · Backups @Maya');
    expect(text).not.toMatch(/@U0DEMO/);
    expect(text).not.toMatch(/\b[a-z]+_[a-z_]+\b|\(s\)/);
    expect(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('channel-keeper-demo-'))).toEqual(tempBefore);
  });

  it('has one sample per state, each a valid connection as of its day', () => {
    const samples = sampleChannels('2026-03-01');
    expect(new Set(samples.map((s) => s.state)).size).toBe(samples.length);
    expect(samples.every((s) => s.input.connectedAt <= '2026-03-01')).toBe(true);
  });
});

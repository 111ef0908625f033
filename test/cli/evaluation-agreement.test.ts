/**
 * One health per channel whoever asks: `channel-keeper workspaces` and `channel-keeper check --dry-run`
 * (as processes, as users run them) judge every network held in every tool alike. The refresh ages
 * straddle the tools' own token lifespans (Agorapulse keeps a Facebook token 90 days, the network
 * default is 60), so a command that left the tool out would disagree.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { HEALTHS, NETWORKS, SEVERITIES, TOOLS, type Health, type Network, type Tool } from '../../src/domain';
import { parseDatabaseUrl } from '../../src/store/database-url';
import { openStore } from '../../src/store/store';
import { connectionInput } from '../support/factories';
import { freshDatabaseUrl } from '../transfer/cli-run';

const BIN = path.join(__dirname, '../../bin/channel-keeper.js');

function run(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent', LOG_FORMAT: '', SLACK_BOT_TOKEN: '', SLACK_ALERT_CHANNEL: '', NO_COLOR: '1' };
    execFile(process.execPath, [BIN, ...args], { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

jest.setTimeout(180_000);

/** Days since the last refresh: inside every lifespan, past the 60-day default but inside 90 days, past 90. */
const REFRESHED_DAYS_AGO = [20, 68, 100] as const;

interface Seeded {
  workspace: string;
  network: Network;
  tool: Tool | null;
  refreshedDaysAgo: number;
}

describe('workspaces and check --dry-run agree on each channel', () => {
  let url: string;
  const seeded: Seeded[] = [];

  beforeAll(async () => {
    url = freshDatabaseUrl();
    const store = openStore(parseDatabaseUrl(url));
    // Dates relative to today (UTC): `workspaces` judges as of now.
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    try {
      // One channel per workspace: `workspaces` counts channels by health, so each count is one channel's health.
      for (const tool of [null, ...TOOLS]) {
        for (const network of NETWORKS) {
          for (const refreshedDaysAgo of REFRESHED_DAYS_AGO) {
            const workspace = `T${seeded.length.toString().padStart(4, '0')}`;
            await store.workspaces.ensure(workspace, `${tool ?? 'no tool'} ${network} ${refreshedDaysAgo}d`);
            await store.connections.create(
              workspace,
              connectionInput({
                network,
                name: `${network} page`,
                tool,
                connectedAt: daysAgo(400),
                lastRefreshedAt: daysAgo(refreshedDaysAgo),
                ownerLastActiveAt: daysAgo(1),
                backups: ['UBACKUP'],
              }),
              'U1',
            );
            seeded.push({ workspace, network, tool, refreshedDaysAgo });
          }
        }
      }
    } finally {
      await store.close();
    }
  });

  it('gives every channel of every network in every tool the same health', async () => {
    const [listed, checked] = await Promise.all([run(['workspaces', '--json'], url), run(['check', '--dry-run', '--json'], url)]);
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(checked).toMatchObject({ code: 0, stderr: '' });

    const byWorkspace = new Map(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { workspace: string; channels: number; health: Record<Health, number> })
        .map((line) => [line.workspace, line]),
    );
    // The check's health of a channel: the worst severity among the warnings it would record.
    const checkHealth = new Map<string, Health>();
    for (const line of checked.stdout.trim().split('\n').filter(Boolean)) {
      const warning = JSON.parse(line) as { workspace: string; severity: Health };
      const worst = checkHealth.get(warning.workspace) ?? 'ok';
      checkHealth.set(warning.workspace, HEALTHS.indexOf(warning.severity) > HEALTHS.indexOf(worst) ? warning.severity : worst);
    }

    const disagreements: string[] = [];
    for (const s of seeded) {
      const line = byWorkspace.get(s.workspace);
      expect(line?.channels).toBe(1);
      const listedHealth = HEALTHS.find((h) => line!.health[h] === 1);
      const checkedHealth = checkHealth.get(s.workspace) ?? 'ok';
      if (listedHealth !== checkedHealth) {
        disagreements.push(`${s.tool ?? 'no tool'} ${s.network} refreshed ${s.refreshedDaysAgo} days ago: workspaces ${listedHealth}, check ${checkedHealth}`);
      }
    }
    expect(disagreements).toEqual([]);

    // The ages chosen make the tool rule matter: somewhere the same network and age is judged
    // differently in a tool than without one (else this test could not catch a command ignoring tools).
    const healthOf = (tool: Tool | null, network: Network, age: number) =>
      checkHealth.get(seeded.find((s) => s.tool === tool && s.network === network && s.refreshedDaysAgo === age)!.workspace) ?? 'ok';
    expect(healthOf('agorapulse', 'facebook', 68)).not.toBe(healthOf(null, 'facebook', 68));
    expect(SEVERITIES).toContain(healthOf(null, 'facebook', 68));
  });
});

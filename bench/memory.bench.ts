/**
 * Memory of the commands that read a whole workspace, as users run them (compiled, each in its own
 * process, peak RSS from /usr/bin/time): `export` as CSV, JSON and iCalendar, `check --dry-run` and
 * `report --png`, over one workspace of 10,000 and of 50,000 channels (BENCH_MEMORY_CHANNELS). They
 * stream, so the peak should barely grow with the workspace: the aim is the larger workspace's peak
 * at most 1.25× the smaller one's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandAsUsersRunIt, type CliPass } from './check-cli';
import { benchProviders, freshDatabase, type BenchProvider } from './databases';
import { BENCH_TODAY } from './fixtures';
import { seedOneWorkspace } from './seed';
import { atMost, type Benchmark, type Figure } from './support';

const TEAM = 'TBENCH';
const LARGE = Number(process.env.BENCH_MEMORY_CHANNELS ?? 50_000);
const SMALL = Math.min(10_000, LARGE / 5);

const COMMANDS: { name: string; args: (dir: string) => string[] }[] = [
  { name: 'export --format csv', args: () => ['export', '--workspace', TEAM, '--format', 'csv'] },
  { name: 'export --format json', args: () => ['export', '--workspace', TEAM, '--format', 'json'] },
  { name: 'export --format ics', args: () => ['export', '--workspace', TEAM, '--format', 'ics'] },
  { name: 'check --dry-run', args: () => ['check', '--dry-run', '--all', '--workspace', TEAM, '--at', BENCH_TODAY] },
  { name: 'report --png', args: (dir) => ['report', '--workspace', TEAM, '--png', path.join(dir, 'report.png')] },
];

async function peaks(provider: BenchProvider, channels: number, log: (line: string) => void): Promise<Map<string, CliPass>> {
  const db = await freshDatabase(provider);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ck-bench-memory-'));
  try {
    await seedOneWorkspace(db, TEAM, channels);
    const out = new Map<string, CliPass>();
    for (const command of COMMANDS) {
      const pass = await commandAsUsersRunIt(command.args(dir), db.url, null);
      log(
        `${provider} ${channels.toLocaleString('en-US')} channels, ${command.name}: ${(pass.ms / 1000).toFixed(1)} s, peak RSS ${pass.peakRssMb.toFixed(0)} MB, ${pass.stdoutMb.toFixed(1)} MB out`,
      );
      out.set(command.name, pass);
    }
    return out;
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'memory',
  description: `peak RSS of export (csv, json, ics), check --dry-run and report --png over one workspace of ${SMALL.toLocaleString('en-US')} and ${LARGE.toLocaleString('en-US')} channels`,
  async run(log) {
    const providers = await benchProviders(log);
    const figures: Figure[] = [];
    for (const provider of providers) {
      const name = provider === 'sqlite' ? 'SQLite' : 'PostgreSQL';
      const [small, large] = [await peaks(provider, SMALL, log), await peaks(provider, LARGE, log)];
      for (const { name: command } of COMMANDS) {
        const [a, b] = [small.get(command)!, large.get(command)!];
        figures.push({
          metric: `${command}: peak RSS at ${LARGE.toLocaleString('en-US')} ÷ at ${SMALL.toLocaleString('en-US')} (${name})`,
          value: b.peakRssMb / a.peakRssMb,
          unit: '×',
          aim: atMost(b.peakRssMb / a.peakRssMb, 1.25, '×'),
          note: `${a.peakRssMb.toFixed(0)} → ${b.peakRssMb.toFixed(0)} MB; ${(b.ms / 1000).toFixed(1)} s at ${LARGE.toLocaleString('en-US')}, ${b.stdoutMb.toFixed(1)} MB written`,
        });
      }
    }
    return figures;
  },
};

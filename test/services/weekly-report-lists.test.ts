/**
 * The weekly report of a real-sized team, on both databases: 404 channels of 7 owners whose tokens
 * all run out within the week. In Slack every list ends with "and N more" within a section's
 * 3,000 characters and names only whole channels; the command line (run as a process) prints
 * counts and the first items by default and every item with `--all`; no past date is a deadline.
 */
import { buildWeeklyReportMessage } from '../../src/bot/blocks/weekly-report';
import { silentLogger } from '../../src/logger';
import type { WeeklyReport } from '../../src/rules/weekly-report';
import { runCheck } from '../../src/runs/check-run';
import { weeklyReport } from '../../src/services/weekly-report';
import { writeAdded } from '../../src/services/channels';
import { describeEachDatabase, uniqueId } from '../support/databases';
import { runCli } from '../transfer/cli-run';

const CHANNELS = 404;
const OWNERS = Array.from({ length: 7 }, (_, i) => `U0OWNER${i + 1}`);
/** Names the bot has cached for six of the seven owners; the seventh is known by id only. */
const OWNER_NAMES = ['Ana', 'Bo', 'Cem', 'Dana', 'Eli', 'Finn'];
const nameOf = (i: number) => `LinkedIn Showcase Page ${String(i).padStart(3, '0')}`;
const CHECKED = new Date('2026-06-15T08:00:00Z');
/** `--at 2026-06-15`: that day at the check time (09:00 UTC). */
const AT = new Date('2026-06-15T09:00:00Z');

describeEachDatabase('the weekly report of 404 channels', (db) => {
  let team: string;
  let report: WeeklyReport;

  beforeAll(async () => {
    const { store } = db();
    team = uniqueId('T');
    await store.workspaces.ensure(team, 'Big team');
    for (const [i, userId] of OWNERS.entries()) await store.members.upsert(team, userId, { name: OWNER_NAMES[i] ?? null });
    for (let i = 1; i <= CHANNELS; i += 1) {
      // Tokens end on 2026-06-20 (at risk at the check), the refresh cadence long overdue.
      const input = {
        network: 'linkedin' as const,
        kind: 'showcase_page' as const,
        name: nameOf(i),
        connectedAt: '2025-06-20',
        ownerLastActiveAt: '2026-06-10',
      };
      await writeAdded(store, team, { ...input, ownerId: OWNERS[i % OWNERS.length]!, backups: ['U0BACKUP1'] }, 'cli');
    }
    await runCheck({ store, now: () => CHECKED, logger: silentLogger }, team);
    report = (await weeklyReport({ store, now: () => AT }, team)).report;
  }, 120_000);

  it('holds the true numbers', () => {
    expect(report.happened.newlyAtRisk).toHaveLength(CHANNELS);
    expect(report.deadlines).toHaveLength(CHANNELS);
    expect(report.overdue).toHaveLength(CHANNELS);
    expect(report.people).toHaveLength(OWNERS.length);
    // No past date among the deadlines: the overdue refreshes are listed apart.
    expect(report.deadlines.every((d) => d.date >= report.today)).toBe(true);
    expect(report.overdue.every((o) => o.date < report.today && o.kind === 'refresh_due')).toBe(true);
  });

  it('in Slack: every list ends with "and N more" within a section, naming whole channels only', () => {
    const message = buildWeeklyReportMessage(report);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const texts = message.blocks.map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''));
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    const all = texts.join('\n');
    const newly = /^• Newly at risk: 404: (.*) and (\d+) more$/m.exec(all);
    expect(newly).not.toBeNull();
    const named = newly![1]!.split(', ');
    for (const item of named) expect(item).toMatch(/^\*LinkedIn Showcase Page \d{3}\*$/);
    expect(named.length + Number(newly![2])).toBe(CHANNELS);
    expect(all).toMatch(/^\*Deadlines in the next 30 days: 404\*$/m);
    expect(all).toContain(`• and ${CHANNELS - 15} more`);
    expect(all).toContain('• and 2 more people');
    // A person's line: their count, three channels, then how many more (owners 2 to 6 hold 58 each, 1 and 7 hold 57).
    expect(all).toMatch(
      /^• <@U0OWNER2>: 58 \(\*LinkedIn Showcase Page \d{3}\*, \*LinkedIn Showcase Page \d{3}\*, \*LinkedIn Showcase Page \d{3}\* and 55 more\)$/m,
    );
  });

  it('on the command line: counts and the first items by default, everything with --all', async () => {
    const url = db().target.url;
    const short = await runCli(['report', '--workspace', team, '--at', '2026-06-15'], url);
    expect(short.stderr).toBe('');
    expect(short.code).toBe(0);
    const lines = short.stdout.split('\n');
    expect(short.stdout).toMatch(/^• Newly at risk: 404: “LinkedIn Showcase Page 001”, .*, “LinkedIn Showcase Page 010” and 394 more$/m);
    expect(short.stdout).toMatch(/^• Bo \(@U0OWNER2\): 58 \(“[^”]+”, “[^”]+”, “[^”]+” and 55 more\)$/m);
    expect(short.stdout).not.toContain('U0OWNER7');
    expect(lines.filter((l) => l.startsWith('• and '))).toEqual([`• and ${CHANNELS - 15} more`, `• and ${CHANNELS - 15} more`, '• and 2 more people']);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(600);

    const full = await runCli(['report', '--workspace', team, '--at', '2026-06-15', '--all'], url);
    expect(full.code).toBe(0);
    expect(full.stdout).not.toMatch(/ more\b/);
    const newly = /^• Newly at risk: 404: (.*)$/m.exec(full.stdout)![1]!.split(', ');
    expect(newly).toEqual(Array.from({ length: CHANNELS }, (_, i) => `“${nameOf(i + 1)}”`));
    expect(full.stdout.split('\n').filter((l) => /^• 2026-06-20 {2}LinkedIn “/.test(l))).toHaveLength(CHANNELS);
    const people = full.stdout.split('\n').filter((l) => /^• ([A-Z][a-z]+ \(@U0OWNER\d\)|U0OWNER\d): 5\d \(/.test(l));
    expect(people).toHaveLength(OWNERS.length);
    expect(people).toContainEqual(expect.stringMatching(/^• Ana \(@U0OWNER1\): 57 \((“[^”]+”, ){56}“[^”]+”\)$/));
    expect(people).toContainEqual(expect.stringMatching(/^• U0OWNER7: 57 \(/));

    const help = await runCli(['report', '--help'], url);
    expect(help.stdout).toContain('--all');
  }, 120_000);
});

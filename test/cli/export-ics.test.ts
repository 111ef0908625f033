/** `channel-keeper export --format ics` as a process: the deadlines calendar on stdout, stable UIDs across runs. */
import { CSV_COLUMNS } from '../../src/transfer/columns';
import { parseIcs } from '../support/ical';
import { freshDatabaseUrl, runCli, writeTempFile } from '../transfer/cli-run';

function daysFromToday(days: number): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('channel-keeper export --format ics (binary)', () => {
  it('writes every upcoming deadline as an all-day event with a reminder; a second export has the same UIDs', async () => {
    const db = freshDatabaseUrl();
    const connected = daysFromToday(-10);
    const file = writeTempFile(
      'tools.csv',
      `${CSV_COLUMNS.filter((c) => c !== 'retired').join(',')}\nlinkedin,company_page,Acme,,U0OWNER1,${connected},,,U0B1,connected,agorapulse\nfacebook,page,Acme FB,,U0OWNER1,${connected},,,U0B1,connected,agorapulse\n`,
    );
    expect((await runCli(['import', file, '--workspace', 'T0ICS1'], db)).code).toBe(0);
    const first = await runCli(['export', '--workspace', 'T0ICS1', '--format', 'ics'], db);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    const calendar = parseIcs(first.stdout);
    const starts = Object.fromEntries(calendar.events.map((e) => [e.summary, e.start]));
    expect(starts).toMatchObject({
      'LinkedIn “Acme”: token expires': daysFromToday(355),
      // Agorapulse states three months for Facebook.
      'Facebook “Acme FB”: token expires': daysFromToday(80),
    });
    expect(calendar.events.every((e) => e.allDay && e.alarms.length === 1 && e.alarms[0]! < 0)).toBe(true);
    const second = parseIcs((await runCli(['export', '--workspace', 'T0ICS1', '--format', 'ics'], db)).stdout);
    expect(second.events.map((e) => e.uid)).toEqual(calendar.events.map((e) => e.uid));
  });

  it('refuses an unknown workspace with exit 2 and one line', async () => {
    const result = await runCli(['export', '--workspace', 'T0NOPE1', '--format', 'ics'], freshDatabaseUrl());
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'channel-keeper: no workspace with id T0NOPE1: check the id (a workspace exists once the bot is installed there or a file was imported into it)',
    );
  });
});

/** The chart draws its text with the packaged font (never the system's): labels are really there. */
import { PNG } from 'pngjs';
import { deadlineChartSvg, renderPng } from '../../src/chart/deadline-chart';
import type { ReportWeek } from '../../src/rules/weekly-report';

function darkPixels(png: Buffer): number {
  const image = PNG.sync.read(png);
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! < 100 && image.data[i + 1]! < 100 && image.data[i + 2]! < 100) dark += 1;
  return dark;
}

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="300" height="60" fill="#fff"/>${body}</svg>`;

describe('the deadline chart', () => {
  it('renders text with the packaged Inter font', () => {
    expect(darkPixels(renderPng(svg('')))).toBe(0);
    const text = darkPixels(renderPng(svg('<text x="10" y="40" font-family="Inter" font-size="28" fill="#000">Deadlines 12</text>')));
    expect(text).toBeGreaterThan(300);
  });

  it('labels the axes, every week and the legend', () => {
    const weeks: ReportWeek[] = Array.from({ length: 12 }, (_, i) => ({
      start: `2027-01-${String(4 + i * 7 > 31 ? 1 : 4 + i).padStart(2, '0')}`,
      counts: { critical: i % 2, at_risk: 1, attention: 0, upcoming: i },
    }));
    const text = deadlineChartSvg(weeks);
    for (const label of ['Deadlines per week, next 12 weeks', 'Week starting', '>Deadlines<', 'Critical', 'At risk', 'Attention', 'Not yet warned', 'Jan 4'])
      expect(text).toContain(label);
    // The last week holds 13: its total is written on the bar, and round gridlines (0, 5, 10, 15) reach past it.
    expect(text).toContain('>13</text>');
    for (const tick of ['>0</text>', '>5</text>', '>10</text>', '>15</text>']) expect(text).toContain(tick);
  });
});

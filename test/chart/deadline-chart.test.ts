/**
 * The chart as it is drawn: its SVG's structure (the overdue bar first, the weeks with their year,
 * the legend, patterns and counts besides colour) and the PNG resvg makes of it, text drawn with
 * the packaged font (never the system's).
 */
import { PNG } from 'pngjs';
import {
  CHART_HEIGHT,
  CHART_TITLE,
  CHART_WIDTH,
  deadlineChartPng,
  deadlineChartSvg,
  OVERDUE_LABEL,
  renderPng,
  SERIES_COLOURS,
} from '../../src/chart/deadline-chart';
import { addDays } from '../../src/rules/calendar';
import { DEADLINE_LEVELS, type DeadlineLevel, type ReportWeek } from '../../src/rules/weekly-report';

function darkPixels(png: Buffer): number {
  const image = PNG.sync.read(png);
  let dark = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i]! < 100 && image.data[i + 1]! < 100 && image.data[i + 2]! < 100) dark += 1;
  return dark;
}

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60"><rect width="300" height="60" fill="#fff"/>${body}</svg>`;
const none = (): ReportWeek['counts'] => ({ critical: 0, at_risk: 0, attention: 0, upcoming: 0 });

/** 12 weeks from `today`, the i-th week's counts from `counts(i)`. */
function weeksFrom(today: string, counts: (i: number) => Partial<ReportWeek['counts']> = () => ({})): ReportWeek[] {
  return Array.from({ length: 12 }, (_, i) => ({ start: addDays(today, i * 7), counts: { ...none(), ...counts(i) } }));
}

/** The texts of the elements of one class, in drawing order. */
function texts(chart: string, cls: string): string[] {
  return [...chart.matchAll(new RegExp(`<text class="${cls}" x="([\\d.]+)"[^>]*>([^<]*)</text>`, 'g'))].map((m) => m[2]!);
}

function xsOf(chart: string, cls: string): number[] {
  return [...chart.matchAll(new RegExp(`<text class="${cls}" x="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
}

/** The stacked segments: level, count and left edge. */
function segments(chart: string): { level: DeadlineLevel; count: number; x: number; fill: string }[] {
  return [...chart.matchAll(/<rect class="segment" data-level="(\w+)" data-count="(\d+)" x="([\d.]+)"[^>]* fill="([^"]+)"/g)].map((m) => ({
    level: m[1] as DeadlineLevel,
    count: Number(m[2]),
    x: Number(m[3]),
    fill: m[4]!,
  }));
}

describe('the deadline chart', () => {
  it('renders text with the packaged Inter font', () => {
    expect(darkPixels(renderPng(svg('')))).toBe(0);
    const text = darkPixels(renderPng(svg('<text x="10" y="40" font-family="Inter" font-size="28" fill="#000">Deadlines 12</text>')));
    expect(text).toBeGreaterThan(300);
  });

  it('labels the axes, every week and the legend', () => {
    const weeks = weeksFrom('2027-01-04', (i) => ({ critical: i % 2, at_risk: 1, upcoming: i }));
    const chart = deadlineChartSvg({ weeks, overdueCounts: none() });
    for (const label of [CHART_TITLE, 'Week starting', '>Deadlines<']) expect(chart).toContain(label);
    expect(texts(chart, 'legend')).toEqual(['Critical', 'At risk', 'Attention', 'Not yet warned']);
    expect(texts(chart, 'axis-label')).toEqual([
      OVERDUE_LABEL,
      'Jan 4',
      'Jan 11',
      'Jan 18',
      'Jan 25',
      'Feb 1',
      'Feb 8',
      'Feb 15',
      'Feb 22',
      'Mar 1',
      'Mar 8',
      'Mar 15',
      'Mar 22',
    ]);
    // The last week holds 13: its total is written on the bar, and round gridlines (0, 5, 10, 15) reach past it.
    expect(chart).toContain('>13</text>');
    for (const tick of ['>0</text>', '>5</text>', '>10</text>', '>15</text>']) expect(chart).toContain(tick);
  });

  it('shows the year under the first week, and again where the weeks cross into a new one', () => {
    const crossing = deadlineChartSvg({ weeks: weeksFrom('2026-12-07'), overdueCounts: none() });
    expect(texts(crossing, 'axis-label').slice(1, 6)).toEqual(['Dec 7', 'Dec 14', 'Dec 21', 'Dec 28', 'Jan 4']);
    expect(texts(crossing, 'axis-year')).toEqual(['2026', '2027']);
    // Each year sits under its week: the first week, and the week of Jan 4.
    const labels = xsOf(crossing, 'axis-label');
    expect(xsOf(crossing, 'axis-year')).toEqual([labels[1], labels[5]]);

    const within = deadlineChartSvg({ weeks: weeksFrom('2027-03-01'), overdueCounts: none() });
    expect(texts(within, 'axis-year')).toEqual(['2027']);
    expect(xsOf(within, 'axis-year')).toEqual([xsOf(within, 'axis-label')[1]]);
  });

  it('draws the overdue deadlines as the first bar, stacked by urgency like the weeks', () => {
    const weeks = weeksFrom('2026-12-07', (i) => (i === 0 ? { attention: 2 } : {}));
    const chart = deadlineChartSvg({ weeks, overdueCounts: { critical: 3, at_risk: 1, attention: 0, upcoming: 0 } });
    const drawn = segments(chart);
    const firstX = Math.min(...drawn.map((s) => s.x));
    const overdueBar = drawn.filter((s) => s.x === firstX);
    expect(overdueBar.map((s) => [s.level, s.count]).sort()).toEqual([
      ['at_risk', 1],
      ['critical', 3],
    ]);
    expect(drawn.filter((s) => s.x !== firstX).map((s) => [s.level, s.count])).toEqual([['attention', 2]]);
    // Its label is the first on the axis, at its bar; its total (4) is written on it.
    expect(texts(chart, 'axis-label')[0]).toBe(OVERDUE_LABEL);
    expect(xsOf(chart, 'axis-label')[0]).toBeLessThan(xsOf(chart, 'axis-label')[1]!);
    expect(chart).toContain('>4</text>');
  });

  it('does not rely on colour alone: each level has its own pattern or plain fill, and a stacked bar writes each count', () => {
    const weeks = weeksFrom('2026-12-07', (i) => (i === 1 ? { critical: 4, at_risk: 5, attention: 6, upcoming: 7 } : {}));
    const chart = deadlineChartSvg({ weeks, overdueCounts: none() });
    const drawn = segments(chart);
    const fills = new Map(drawn.map((s) => [s.level, s.fill]));
    expect(new Set(fills.values()).size).toBe(DEADLINE_LEVELS.length);
    for (const level of DEADLINE_LEVELS) {
      const fill = fills.get(level)!;
      if (fill.startsWith('url(#')) {
        const id = fill.slice(5, -1);
        const pattern = new RegExp(`<pattern id="${id}"[^>]*><rect width="8" height="8" fill="${SERIES_COLOURS[level]}"/>(<path|<circle)`);
        expect(chart).toMatch(pattern);
      } else expect(fill).toBe(SERIES_COLOURS[level]);
    }
    // Three of the four levels are patterned; only one is a plain fill.
    expect([...fills.values()].filter((f) => f.startsWith('url(#'))).toHaveLength(3);
    // Each segment's count is written on it, and the bar's total (22) above it.
    for (const count of [4, 5, 6, 7]) expect(chart).toMatch(new RegExp(`paint-order="stroke">${count}</text>`));
    expect(chart).toContain('>22</text>');
  });

  it('renders to a PNG of the chart size, with the patterns drawn', () => {
    const weeks = weeksFrom('2026-12-07', (i) => ({ critical: i === 2 ? 6 : 0 }));
    const png = PNG.sync.read(deadlineChartPng({ weeks, overdueCounts: { ...none(), critical: 6 } }));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    // Inside the critical bars both the dark red and the white hatch lines over it show.
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(SERIES_COLOURS.critical.slice(i, i + 2), 16)) as [number, number, number];
    let red = 0;
    let pale = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [pr, pg, pb] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (pr === r && pg === g && pb === b) red += 1;
      // A white line blended over the red: much lighter than it, still reddish (grey text is not).
      else if (pr > r + 60 && pg > g + 60 && pb > b + 60 && pr < 245 && pr - pg > 20) pale += 1;
    }
    expect(red).toBeGreaterThan(2000);
    expect(pale).toBeGreaterThan(500);
  });
});

/**
 * The weekly report's chart: deadlines already past (one "Overdue" bar first), then deadlines per
 * week for the next 12 weeks, stacked by how urgent each is now. Colour is never the only cue:
 * each level has its own fill pattern, segments carry their counts, the legend names them, and the
 * palette stays apart under protanopia, deuteranopia and tritanopia (test/chart/palette.test.ts
 * simulates them). The week axis shows the year under the first week and where a new year starts.
 * The SVG is built here as text (pure, testable); `renderPng` rasterises it in-process with resvg
 * (a prebuilt native binary shipped in the npm package: no browser, no download at install). Text
 * is drawn with the Inter font from an npm package, so nothing depends on the system's fonts.
 */
import { Resvg } from '@resvg/resvg-js';
import { DEADLINE_LEVELS, LEVEL_LABELS, type DeadlineLevel, type ReportWeek } from '../rules/weekly-report';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 540;

/** What the chart draws: the report's weeks and its overdue deadlines (a WeeklyReport is one). */
export interface ChartData {
  weeks: readonly ReportWeek[];
  overdueCounts: ReportWeek['counts'];
}

/**
 * From Okabe and Ito's colour-blind-safe palette, lightness falling with urgency (dark red
 * critical, vermilion at risk, yellow attention, sky blue not yet warned), so the levels differ in
 * lightness as well as hue: what protan, deutan and tritan vision keep.
 */
export const SERIES_COLOURS: Record<DeadlineLevel, string> = { critical: '#6b0f1a', at_risk: '#d55e00', attention: '#f0e442', upcoming: '#56b4e9' };
/** Text on each level's fill: white on the dark ones, near-black on the light ones. */
const TEXT_ON: Record<DeadlineLevel, string> = { critical: '#ffffff', at_risk: '#ffffff', attention: '#1d1c1d', upcoming: '#1d1c1d' };
/** The second cue besides colour: cross-hatch, diagonal lines, dots, plain. */
const PATTERN_MARKS: Record<DeadlineLevel, string> = {
  critical: '<path d="M0 0L8 8M8 0L0 8" stroke="#ffffff" stroke-opacity="0.6" stroke-width="1.4"/>',
  at_risk: '<path d="M-2 2L2 -2M0 8L8 0M6 10L10 6" stroke="#ffffff" stroke-opacity="0.6" stroke-width="1.4"/>',
  attention: '<circle cx="4" cy="4" r="1.4" fill="#1d1c1d" fill-opacity="0.55"/>',
  upcoming: '',
};
/** The first bar's label on the week axis. */
export const OVERDUE_LABEL = 'Overdue';
export const CHART_TITLE = 'Deadlines: overdue, then per week for the next 12 weeks';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FONT = 'Inter';
const INK = '#1d1c1d';
const MUTED = '#616061';
/** A segment shorter than this (px) has no room for its count; the bar's total still shows. */
const LABEL_MIN_HEIGHT = 18;

const PLOT = { left: 72, right: 24, top: 72, bottom: 112 };

/** `2026-12-07` → `Dec 7`. */
function shortDate(iso: string): string {
  const [, month, day] = iso.split('-').map(Number);
  return `${MONTHS[month! - 1]} ${day}`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A round step giving about five gridlines up to `max`. */
function tickStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((step) => step >= raw)!;
}

function fillOf(level: DeadlineLevel): string {
  return PATTERN_MARKS[level] ? `url(#fill-${level})` : SERIES_COLOURS[level];
}

function patternDefs(): string {
  const patterns = DEADLINE_LEVELS.filter((level) => PATTERN_MARKS[level]).map(
    (level) =>
      `<pattern id="fill-${level}" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="${SERIES_COLOURS[level]}"/>${PATTERN_MARKS[level]}</pattern>`,
  );
  return `<defs>${patterns.join('')}</defs>`;
}

/** The years shown under the week labels: under the first week, and under the first week of each new year. */
function yearLabels(weeks: readonly ReportWeek[]): (string | null)[] {
  return weeks.map((week, i) => {
    const year = week.start.slice(0, 4);
    return i === 0 || weeks[i - 1]!.start.slice(0, 4) !== year ? year : null;
  });
}

export function deadlineChartSvg({ weeks, overdueCounts }: ChartData, title = CHART_TITLE): string {
  const bars = [{ label: OVERDUE_LABEL, counts: overdueCounts }, ...weeks.map((w) => ({ label: shortDate(w.start), counts: w.counts }))];
  const years = [null, ...yearLabels(weeks)];
  const plotWidth = CHART_WIDTH - PLOT.left - PLOT.right;
  const plotHeight = CHART_HEIGHT - PLOT.top - PLOT.bottom;
  const totals = bars.map((b) => DEADLINE_LEVELS.reduce((sum, level) => sum + b.counts[level], 0));
  const step = tickStep(Math.max(1, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(1, ...totals) / step) * step);
  const y = (value: number) => PLOT.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / bars.length;
  const barWidth = slot * 0.62;
  const axisY = PLOT.top + plotHeight;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    patternDefs(),
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="36" font-size="22" font-weight="600" fill="${INK}">${escapeXml(title)}</text>`,
  ];
  for (let value = 0; value <= top; value += step) {
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="${value === 0 ? MUTED : '#e0e0e0'}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 10}" y="${y(value) + 5}" font-size="14" text-anchor="end" fill="${INK}">${value}</text>`,
    );
  }
  parts.push(`<text transform="translate(22 ${PLOT.top + plotHeight / 2}) rotate(-90)" font-size="14" text-anchor="middle" fill="${MUTED}">Deadlines</text>`);
  // The overdue bar stands apart from the weeks ahead.
  parts.push(`<line x1="${PLOT.left + slot}" x2="${PLOT.left + slot}" y1="${PLOT.top}" y2="${axisY + 40}" stroke="${MUTED}" stroke-dasharray="4 4"/>`);
  bars.forEach((bar, i) => {
    const x = PLOT.left + i * slot + (slot - barWidth) / 2;
    const centre = x + barWidth / 2;
    const segments = DEADLINE_LEVELS.filter((level) => bar.counts[level] > 0);
    let base = 0;
    // Least urgent at the bottom, so the worst sits on top where the eye lands.
    for (const level of [...DEADLINE_LEVELS].reverse()) {
      const count = bar.counts[level];
      if (!count) continue;
      const height = y(base) - y(base + count);
      parts.push(
        `<rect class="segment" data-level="${level}" data-count="${count}" x="${x}" y="${y(base + count)}" width="${barWidth}" height="${height}" fill="${fillOf(level)}" stroke="#ffffff" stroke-width="1"/>`,
      );
      if (segments.length > 1 && height >= LABEL_MIN_HEIGHT) {
        // A halo of the fill's own colour keeps the count readable over the pattern's marks.
        const halo = TEXT_ON[level] === '#ffffff' ? SERIES_COLOURS[level] : '#ffffff';
        const ring = PATTERN_MARKS[level] ? ` stroke="${halo}" stroke-width="3"` : '';
        parts.push(
          `<text class="count" x="${centre}" y="${y(base + count / 2) + 5}" font-size="13" font-weight="600" text-anchor="middle" fill="${TEXT_ON[level]}"${ring} paint-order="stroke">${count}</text>`,
        );
      }
      base += count;
    }
    if (totals[i]) parts.push(`<text x="${centre}" y="${y(base) - 6}" font-size="13" text-anchor="middle" fill="${INK}">${totals[i]}</text>`);
    const weight = i === 0 ? ' font-weight="600"' : '';
    parts.push(`<text class="axis-label" x="${centre}" y="${axisY + 22}" font-size="13" text-anchor="middle" fill="${INK}"${weight}>${bar.label}</text>`);
    if (years[i]) parts.push(`<text class="axis-year" x="${centre}" y="${axisY + 40}" font-size="13" text-anchor="middle" fill="${MUTED}">${years[i]}</text>`);
  });
  parts.push(
    `<text x="${PLOT.left + slot + (plotWidth - slot) / 2}" y="${axisY + 62}" font-size="14" text-anchor="middle" fill="${MUTED}">Week starting</text>`,
  );
  let legendX = PLOT.left;
  const legendY = CHART_HEIGHT - 18;
  for (const level of DEADLINE_LEVELS) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 14}" width="18" height="18" fill="${fillOf(level)}" stroke="${MUTED}" stroke-width="0.5"/>`,
      `<text class="legend" x="${legendX + 24}" y="${legendY}" font-size="14" fill="${INK}">${escapeXml(LEVEL_LABELS[level])}</text>`,
    );
    legendX += 48 + LEVEL_LABELS[level].length * 8;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** The font files the chart is drawn with (Inter, SIL Open Font License, from @expo-google-fonts/inter). */
function fontFiles(): string[] {
  return [
    require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
    require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
  ];
}

/** SVG text → PNG bytes, fonts from the package only (the system's are never read). */
export function renderPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { font: { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: 'original' } });
  return resvg.render().asPng();
}

/** The chart of a report (its overdue deadlines and its weeks), as a PNG of CHART_WIDTH × CHART_HEIGHT. */
export function deadlineChartPng(data: ChartData): Buffer {
  return renderPng(deadlineChartSvg(data));
}

/**
 * The weekly report's chart: deadlines per week for the next 12 weeks, stacked by how urgent each
 * is now. The SVG is built here as text (pure, testable); `renderPng` rasterises it in-process with
 * resvg (a prebuilt native binary shipped in the npm package: no browser, no download at install).
 * Text is drawn with the Inter font from an npm package, so nothing depends on the system's fonts.
 */
import { Resvg } from '@resvg/resvg-js';
import { DEADLINE_LEVELS, LEVEL_LABELS, type DeadlineLevel, type ReportWeek } from '../rules/weekly-report';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 540;

/** Worst on top of each bar, in the severity colours the Slack messages use in words. */
const COLOURS: Record<DeadlineLevel, string> = { critical: '#c62828', at_risk: '#ef6c00', attention: '#f9a825', upcoming: '#90a4ae' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FONT = 'Inter';

const PLOT = { left: 72, right: 24, top: 72, bottom: 96 };

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

export function deadlineChartSvg(weeks: readonly ReportWeek[], title = 'Deadlines per week, next 12 weeks'): string {
  const plotWidth = CHART_WIDTH - PLOT.left - PLOT.right;
  const plotHeight = CHART_HEIGHT - PLOT.top - PLOT.bottom;
  const totals = weeks.map((w) => DEADLINE_LEVELS.reduce((sum, level) => sum + w.counts[level], 0));
  const step = tickStep(Math.max(1, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(1, ...totals) / step) * step);
  const y = (value: number) => PLOT.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, weeks.length);
  const barWidth = slot * 0.62;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="${FONT}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${PLOT.left}" y="36" font-size="22" font-weight="600" fill="#1d1c1d">${escapeXml(title)}</text>`,
  ];
  for (let value = 0; value <= top; value += step) {
    parts.push(
      `<line x1="${PLOT.left}" x2="${PLOT.left + plotWidth}" y1="${y(value)}" y2="${y(value)}" stroke="${value === 0 ? '#616061' : '#e0e0e0'}" stroke-width="1"/>`,
      `<text x="${PLOT.left - 10}" y="${y(value) + 5}" font-size="14" text-anchor="end" fill="#1d1c1d">${value}</text>`,
    );
  }
  parts.push(`<text transform="translate(22 ${PLOT.top + plotHeight / 2}) rotate(-90)" font-size="14" text-anchor="middle" fill="#616061">Deadlines</text>`);
  weeks.forEach((week, i) => {
    const x = PLOT.left + i * slot + (slot - barWidth) / 2;
    let base = 0;
    // Least urgent at the bottom, so the worst sits on top where the eye lands.
    for (const level of [...DEADLINE_LEVELS].reverse()) {
      const count = week.counts[level];
      if (!count) continue;
      parts.push(`<rect x="${x}" y="${y(base + count)}" width="${barWidth}" height="${y(base) - y(base + count)}" fill="${COLOURS[level]}"/>`);
      base += count;
    }
    if (totals[i]) parts.push(`<text x="${x + barWidth / 2}" y="${y(base) - 6}" font-size="13" text-anchor="middle" fill="#1d1c1d">${totals[i]}</text>`);
    parts.push(
      `<text x="${x + barWidth / 2}" y="${PLOT.top + plotHeight + 22}" font-size="13" text-anchor="middle" fill="#1d1c1d">${shortDate(week.start)}</text>`,
    );
  });
  parts.push(
    `<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight + 46}" font-size="14" text-anchor="middle" fill="#616061">Week starting</text>`,
  );
  let legendX = PLOT.left;
  const legendY = CHART_HEIGHT - 22;
  for (const level of DEADLINE_LEVELS) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 12}" width="14" height="14" fill="${COLOURS[level]}"/>`,
      `<text x="${legendX + 20}" y="${legendY}" font-size="14" fill="#1d1c1d">${escapeXml(LEVEL_LABELS[level])}</text>`,
    );
    legendX += 40 + LEVEL_LABELS[level].length * 8;
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

/** The chart of a report's weeks, as a PNG of CHART_WIDTH × CHART_HEIGHT. */
export function deadlineChartPng(weeks: readonly ReportWeek[]): Buffer {
  return renderPng(deadlineChartSvg(weeks));
}

/**
 * The chart's colours stay apart for readers with the common colour-vision deficiencies: every
 * pair of series colours, simulated for protanopia, deuteranopia and tritanopia (Machado et al.
 * 2009, full severity), differs by at least MIN_DELTA_E in CIEDE2000 (a clearly visible difference
 * between neighbouring bar segments; 2.3 is a just-noticeable one). Colour is not the only cue
 * anyway: deadline-chart.test.ts checks the patterns and labels.
 */
import { SERIES_COLOURS } from '../../src/chart/deadline-chart';
import { DEADLINE_LEVELS } from '../../src/rules/weekly-report';
import { closestPair, deltaE2000, VISIONS } from './colour-vision';

const MIN_DELTA_E = 20;
const palette = DEADLINE_LEVELS.map((level) => SERIES_COLOURS[level]);

describe('the chart palette', () => {
  it('measures CIEDE2000 as its authors do (Sharma, Wu and Dalal 2005, test pairs 1, 7, 17 and 25)', () => {
    expect(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 4);
    expect(deltaE2000([50, 0, 0], [50, -1, 2])).toBeCloseTo(2.3669, 4);
    expect(deltaE2000([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 4);
    expect(deltaE2000([60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387])).toBeCloseTo(1.2644, 4);
  });

  it.each(VISIONS)('keeps every pair of series colours apart with %s', (vision) => {
    expect(new Set(palette).size).toBe(DEADLINE_LEVELS.length);
    const { pair, deltaE } = closestPair(palette, vision);
    if (deltaE < MIN_DELTA_E) throw new Error(`${pair.join(' and ')} are ΔE2000 ${deltaE.toFixed(1)} apart with ${vision} (at least ${MIN_DELTA_E} wanted)`);
    expect(deltaE).toBeGreaterThanOrEqual(MIN_DELTA_E);
  });

  it('would have refused the former red, orange, amber and grey (critical and at risk too close with deuteranopia)', () => {
    const former = ['#c62828', '#ef6c00', '#f9a825', '#90a4ae'];
    expect(closestPair(former, 'deuteranopia').deltaE).toBeLessThan(MIN_DELTA_E);
    expect(closestPair(['#c62828', '#ef6c00'], 'deuteranopia').deltaE).toBeLessThan(MIN_DELTA_E);
  });
});

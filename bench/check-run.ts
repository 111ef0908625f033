/** The one place the benchmarks import the check run from. */
export { runCheck } from '../src/runs/check-run';
export { todayIn as localToday } from '../src/rules/calendar';

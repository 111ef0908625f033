/** The one place the benchmarks import the check run from. */
export { runCheck } from '../src/runs/check-run';
export type { WarningDelivery } from '../src/runs/delivery';
export { todayIn as localToday } from '../src/checks/calendar';

/**
 * The one place the benchmarks import the check run from. When it moves (src/runs), this line
 * is the only one to change.
 */
export { localToday, runCheck } from '../src/checks/job';

/**
 * Words for people, shared by Slack messages, the command line and exports: counts with the
 * right plural ("1 channel", "3 channels") instead of "channel(s)". Pure.
 */

/** "1 channel", "0 channels", "3 warnings"; `many` for irregular plurals ("1 person", "2 people"). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The notice to admins after a gap of more than a day with no check (src/services/check-history.ts). */
import { missedChecksLine, type MissedChecks } from '../../rules/check-history';
import { SLACK_TIME } from './slack-date';
import type { SlackMessage } from './warning-message';

export function buildMissedChecksMessage(missed: MissedChecks): SlackMessage {
  const text = `:warning: ${missedChecksLine(missed, SLACK_TIME)}`;
  return { text: missedChecksLine(missed), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

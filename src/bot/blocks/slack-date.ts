/** Instants in Slack text: Slack renders them in each reader's own zone, the fallback in UTC. */
import { PLAIN_TIME, type TimeStyle } from '../../rules/check-history';

export const SLACK_TIME: TimeStyle = (at) => `<!date^${Math.floor(at.getTime() / 1000)}^{date_short_pretty} at {time}|${PLAIN_TIME(at)}>`;

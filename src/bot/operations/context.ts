import type { Member, Workspace } from '../../domain';
import type { BotDeps } from '../deps';

/** Who is acting, where: what every operation needs besides its own arguments. */
export interface OperationContext {
  deps: BotDeps;
  workspace: Workspace;
  actor: Member;
}

/** "when" for notes: Slack renders it in each reader's own time zone. */
export function slackTime(now: Date): string {
  return `<!date^${Math.floor(now.getTime() / 1000)}^{date_short_pretty} at {time}|${now.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;
}

import type { App } from '@slack/bolt';
import { resolveAsker } from '../actor';
import { buildHome } from '../blocks/home';
import type { BotDeps } from '../deps';
import { reportOn, todayOf } from '../health-report';

/** The Home tab is rendered fresh each time it is opened: there is no cached state to go stale. */
export function registerAppHomeOpened(app: App, deps: BotDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const teamId = (body as { team_id?: string }).team_id ?? (event as { view?: { team_id?: string } }).view?.team_id;
    if (!teamId) return;
    const { workspace } = await resolveAsker(deps, client, teamId, event.user);
    const connections = await deps.store.connections.list(workspace.id);
    const reports = await reportOn(deps, workspace, connections);
    await client.views.publish({ user_id: event.user, view: buildHome(reports, event.user, todayOf(deps, workspace)) });
  });
}

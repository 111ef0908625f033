/** Events API subscriptions; manifest.yml's bot_events must list exactly these (test/bot/manifest.test.ts). */
import type { Connection, Health, Tool, Workspace } from '../domain';
import { homeLists } from '../services/channel-lists';
import { channelsOf } from '../services/channels';
import { checkHistoryOf } from '../services/check-history';
import { failedDeliveries, memberActivityChanged, retryFailedDeliveries } from '../services/workspace';
import { buildHome, MAX_LISTED, type HomeAdminNotes } from './blocks/home';
import type { BotDeps } from './deps';
import { evaluateChannels } from './evaluation-cache';
import { askerOf, personName, type KeeperApp } from './identity';

export const BOT_EVENTS = ['app_home_opened', 'user_change', 'member_joined_channel'] as const;

export function register(app: KeeperApp, deps: BotDeps): void {
  // The Home tab is rendered fresh each time it is opened: there is no cached state to go stale.
  app.event('app_home_opened', async ({ event, client, context }) => {
    if (event.tab !== 'home') return;
    const { workspace, actor } = await askerOf(context);
    // Only the first of each list is read and judged; the counts come from one grouped query.
    const lists = await homeLists(deps, workspace, event.user, 30, MAX_LISTED);
    const judged = async (connections: Connection[], count: number) => ({ reports: await evaluateChannels(deps, workspace, connections), count });
    const byHealth = new Map<Health, number>();
    const byTool = new Map<Tool | null, number>();
    let overdue = 0;
    let soon = 0;
    let mine = 0;
    for (const c of lists.counts) {
      byHealth.set(c.health, (byHealth.get(c.health) ?? 0) + c.count);
      byTool.set(c.tool, (byTool.get(c.tool) ?? 0) + c.count);
      [overdue, soon, mine] = [overdue + c.overdue, soon + c.soon, mine + c.mine];
    }
    const content = {
      total: [...byHealth.values()].reduce((a, b) => a + b, 0),
      byHealth,
      byTool,
      overdue: await judged(lists.overdue, overdue),
      soon: await judged(lists.soon, soon),
      mine: await judged(lists.mine, mine),
    };
    const admin = actor.role === 'admin' ? await adminNotes(deps, workspace) : undefined;
    await client.views.publish({ user_id: event.user, view: buildHome(content, admin) });
  });

  // A deactivated (or reactivated) Slack account changes whether its channels' owner is "gone".
  app.event('user_change', async ({ event, body }) => {
    const envelope = body as { team_id?: string; event_id?: string };
    const teamId = envelope.team_id ?? event.user.team_id;
    if (!teamId) return;
    // Someone of another organisation in a shared channel: their account is not this workspace's news.
    if (event.user.team_id && event.user.team_id !== teamId) return;
    const user = { id: event.user.id, active: event.user.deleted !== true, name: personName(event.user) };
    await memberActivityChanged(deps, teamId, user, envelope.event_id);
  });

  // The bot invited to a channel (often the cure of "not_in_channel"): failed deliveries are tried again now.
  app.event('member_joined_channel', async ({ event, body, context }) => {
    if (!context.botUserId || event.user !== context.botUserId) return;
    const teamId = (body as { team_id?: string }).team_id ?? event.team;
    if (!teamId) return;
    const retried = await retryFailedDeliveries(deps, teamId);
    deps.logger.info({ workspaceId: teamId, channel: event.channel, retried }, 'the bot joined a channel: failed deliveries tried again');
    deps.wakeOutbox?.();
  });
}

async function adminNotes(deps: BotDeps, workspace: Workspace): Promise<HomeAdminNotes> {
  const failed = await failedDeliveries(deps, workspace.id, 20);
  const names = new Map((await channelsOf(deps, workspace.id, { retired: false, ids: failed.map((w) => w.connectionId) })).map((c) => [c.id, c.name]));
  const missingSettings: string[] = [];
  if (!workspace.alertChannel && !deps.defaultAlertChannel) missingSettings.push('No alert channel: warnings wait until one is chosen in Settings.');
  if (workspace.timeZone === 'UTC') missingSettings.push('Time zone is UTC (the default): set yours in Settings so checks run at your local time.');
  return {
    failedDeliveries: failed.map((w) => ({ channel: names.get(w.connectionId) ?? `#${w.connectionId}`, reason: w.lastError ?? 'unknown error' })),
    missingSettings,
    checks: await checkHistoryOf(deps, workspace, deps.now()),
  };
}

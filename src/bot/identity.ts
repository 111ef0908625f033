/**
 * Who a request comes from, decided once, before any listener runs: the workspace must be one the
 * bot serves, and the person asking is met here and handed to the listeners on Bolt's `context`
 * (`askerOf(context)`), for commands, buttons, forms and events alike. Slack signs what it sends
 * (the receiver checks the signature and its age); this decides what a signed request may do.
 *
 * - A workspace is served when it is the bot token's own team (Slack's `auth.test`, asked once per
 *   app) or one already recorded (created by the command line's `import` or `settings`, or by
 *   an earlier request from the token's team). Any other team id gets a polite refusal, and
 *   nothing is created for it.
 * - A person belongs to the workspace when Slack says so: their own `user.team_id` is the
 *   workspace (or, for an org-wide install, they are of the same Enterprise Grid org), in the
 *   request or, for someone seen for the first time, in `users.info`. Someone from another
 *   organisation in a channel shared through Slack Connect is `external`: they may look, but get no
 *   role, are never recorded (so never made an admin) and are told why when they try to change
 *   something (see services/permissions.ts).
 */
import type { AnyMiddlewareArgs, App, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Workspace } from '../domain';
import type { Logger } from '../logger';
import type { ServiceDeps } from '../services/deps';
import { meet, meetVisitor, type Asker, type SlackProfile } from '../services/members';
import { isRecorded } from '../services/workspace';

export type { Asker } from '../services/members';

/** The bot token's own team, from `auth.test`, asked once and remembered (per app, in its deps). */
export class Installation {
  private team: Promise<{ teamId: string | null; enterpriseId: string | null; teamName: string | null }> | null = null;

  constructor(private readonly client: () => WebClient) {}

  async teamId(): Promise<string | null> {
    return (await this.ask()).teamId;
  }

  /** The team's name as Slack gives it (`auth.test`'s `team`), when `teamId` is the token's own team. */
  async teamName(teamId: string): Promise<string | null> {
    const team = await this.ask();
    return team.teamId === teamId ? team.teamName : null;
  }

  private ask(): Promise<{ teamId: string | null; enterpriseId: string | null; teamName: string | null }> {
    if (!this.team) {
      const asked = this.client()
        .auth.test()
        .then((answer) => ({ teamId: answer.team_id ?? null, enterpriseId: answer.enterprise_id ?? null, teamName: answer.team ?? null }));
      // A failure (Slack unreachable) is not remembered: the next request asks again.
      asked.catch(() => (this.team = null));
      this.team = asked;
    }
    return this.team;
  }
}

export interface IdentityDeps extends ServiceDeps {
  logger: Logger;
  installation: Pick<Installation, 'teamId'> & Partial<Pick<Installation, 'teamName'>>;
}

/** What the gate puts on Bolt's `context` for every listener. */
export interface AskerContext {
  [key: string]: unknown;
  /** The asker, met on the first call and remembered for the request; rejects when the request names nobody. */
  asker: () => Promise<Asker>;
}

/** The app with the gate's context: every listener registers on this. */
export type KeeperApp = App<AskerContext>;

/** The workspace and the person behind the request the listener answers. */
export function askerOf(context: Pick<AskerContext, 'asker'>): Promise<Asker> {
  return context.asker();
}

/** Events that are a person's own doing: the person is the asker (others, e.g. user_change, have none). */
const ASKING_EVENTS: ReadonlySet<string> = new Set(['app_home_opened']);

/** What a request says about where it comes from, whatever its kind. */
interface Origin {
  kind: 'command' | 'interaction' | 'event' | 'other';
  teamId: string | null;
  userId: string | null;
  /** The Enterprise Grid org of an org-wide install (its people belong to each of its workspaces). */
  orgWide: string | null;
  /** The request itself shows the person is of another organisation. */
  external: boolean;
}

type Body = Record<string, unknown> & {
  type?: string;
  team_id?: string;
  user_id?: string;
  command?: string;
  team?: { id?: string } | null;
  user?: { id?: string; team_id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
  is_enterprise_install?: boolean | string;
  enterprise_id?: string;
  view?: { team_id?: string };
  event?: { type?: string; user?: unknown; view?: { team_id?: string } };
};

function originOf(body: Body): Origin {
  // Form-encoded commands say "true" as a string; JSON payloads say true.
  const orgInstall = body.is_enterprise_install === true || body.is_enterprise_install === 'true';
  if (typeof body.command === 'string') {
    const orgWide = orgInstall ? (body.enterprise_id ?? null) : null;
    return { kind: 'command', teamId: body.team_id ?? null, userId: body.user_id ?? null, orgWide, external: false };
  }
  if (body.type === 'event_callback') {
    const event = body.event ?? {};
    // An uninstall stops what it names (an org-wide one names no served team): never refused here.
    if (event.type === 'app_uninstalled' || event.type === 'tokens_revoked')
      return { kind: 'other', teamId: null, userId: null, orgWide: null, external: false };
    const asking = typeof event.type === 'string' && ASKING_EVENTS.has(event.type) && typeof event.user === 'string';
    return {
      kind: 'event',
      teamId: body.team_id ?? event.view?.team_id ?? null,
      userId: asking ? (event.user as string) : null,
      orgWide: orgInstall ? (body.enterprise_id ?? null) : null,
      external: false,
    };
  }
  if (
    typeof body.type === 'string' &&
    ['block_actions', 'view_submission', 'view_closed', 'block_suggestion', 'shortcut', 'message_action'].includes(body.type)
  ) {
    const orgWide = orgInstall ? (body.enterprise?.id ?? null) : null;
    return { kind: 'interaction', teamId: body.team?.id ?? body.view?.team_id ?? null, userId: body.user?.id ?? null, orgWide, external: isExternal(body) };
  }
  return { kind: 'other', teamId: null, userId: null, orgWide: null, external: false };
}

/**
 * True when the person pressing or submitting is not of the workspace the request is for: a
 * Slack Connect guest from another organisation, or someone of another workspace of the same
 * Enterprise Grid org when the bot is installed in one workspace only.
 */
export function isExternal(body: unknown): boolean {
  const b = body as Body;
  const teamId = b.team?.id ?? b.view?.team_id ?? null;
  const userTeam = b.user?.team_id ?? null;
  if (!teamId || !userTeam || userTeam === teamId) return false;
  // An org-wide install serves every workspace of its org: a person of the same org belongs.
  if (b.is_enterprise_install === true && b.enterprise?.id) return b.user?.enterprise_id !== undefined && b.user.enterprise_id !== b.enterprise.id;
  return true;
}

/** Whether requests for `teamId` are served (see the file comment). */
export async function isServed(deps: IdentityDeps, teamId: string): Promise<boolean> {
  try {
    if ((await deps.installation.teamId()) === teamId) return true;
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, 'auth.test failed; serving only workspaces already recorded');
  }
  return isRecorded(deps, teamId);
}

export const NOT_SERVED =
  'Channel Keeper is not installed in this workspace, so it cannot keep channels here. Ask a Slack admin of your workspace to install it.';
export const NO_USER = 'Slack did not say who pressed this, so nothing was done. Try again from Slack.';

/**
 * The global middleware: refuses a request for a workspace the bot does not serve, or an
 * interaction that names no person, with a short answer (HTTP 200, never an error), before any
 * listener runs or anything is written. Otherwise it puts the asker on the context: met when a
 * listener first asks (so the listener acks first; Slack waits 3 s at most), once per request.
 */
export function identityGate(deps: IdentityDeps): Middleware<AnyMiddlewareArgs, AskerContext> {
  return async (args) => {
    const body = args.body as Body;
    const origin = originOf(body);
    args.context.asker = () => Promise.reject(new Error('this request names no person asking'));
    if (origin.kind === 'other') return args.next();
    let refusal: string | null = null;
    if (origin.kind !== 'event' && !origin.userId) refusal = NO_USER;
    else if (!origin.teamId || !(await isServed(deps, origin.teamId))) refusal = NOT_SERVED;
    if (refusal === null) {
      if (origin.teamId && origin.userId)
        args.context.asker = once(() => resolveAsker(deps, args.client, { ...origin, teamId: origin.teamId!, userId: origin.userId! }));
      return args.next();
    }
    deps.logger.info({ team: origin.teamId, kind: origin.kind, type: body.type }, refusal === NO_USER ? 'refused: no user' : 'refused: workspace not served');
    await refuse(args, origin, refusal);
  };
}

async function refuse(args: AnyMiddlewareArgs, origin: Origin, text: string): Promise<void> {
  const { ack } = args as unknown as { ack?: (answer?: unknown) => Promise<void> };
  // Events are acknowledged by Bolt already, except a workflow step's run (function_executed).
  if ((origin.kind === 'event' && (args.body as Body).event?.type !== 'function_executed') || !ack) return;
  if (origin.kind === 'command') return ack({ response_type: 'ephemeral', text });
  const body = args.body as Body;
  if (body.type === 'view_submission') {
    return ack({
      response_action: 'update',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Channel Keeper' },
        close: { type: 'plain_text', text: 'Close' },
        blocks: [{ type: 'section', text: { type: 'plain_text', text } }],
      },
    });
  }
  // A button from a workspace not served (or naming nobody): acknowledged, nothing done. The
  // payload's response_url is not trusted for an answer.
  await ack();
}

function once<T>(work: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= work());
}

/**
 * The workspace and the member behind a request (services/members.ts `meet`), with `users.info`
 * as the way to learn about a person seen for the first time: an owner or admin of this workspace
 * becomes an admin; someone whose own workspace is another organisation's is a visitor.
 */
async function resolveAsker(deps: IdentityDeps, client: WebClient, who: Origin & { teamId: string; userId: string }): Promise<Asker> {
  if (who.external) return meetVisitor(deps, who.teamId, who.userId);
  // The workspace's name (for the calendar, the report, the command line) from auth.test, already asked.
  const teamName = async () => (await deps.installation.teamName?.(who.teamId).catch(() => null)) ?? null;
  return meet(deps, who.teamId, who.userId, () => profileOf(deps.logger, client, who.userId, who), teamName);
}

/** What `users.info` says about a person, against the workspace a request is for (null when Slack could not be asked). */
export async function profileOf(
  logger: Logger,
  client: WebClient,
  userId: string,
  request: { teamId: string; orgWide: string | null },
): Promise<SlackProfile | null> {
  try {
    const { user } = await client.users.info({ user: userId });
    return {
      admin: user?.is_admin === true || user?.is_owner === true,
      name: personName(user),
      external: isOfAnotherOrganisation(user ?? {}, request),
    };
  } catch (error) {
    logger.warn({ err: (error as Error).message, userId }, 'users.info failed; treating the user as a member');
    return null;
  }
}

/** The name people know someone by: Slack's display name, else the real name, else the handle. */
export function personName(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | null {
  return user?.profile?.display_name?.trim() || user?.real_name?.trim() || user?.profile?.real_name?.trim() || user?.name || null;
}

/** What `users.info` says about where a person belongs, against the workspace the request is for. */
export function isOfAnotherOrganisation(
  user: { team_id?: string; enterprise_user?: { enterprise_id?: string; teams?: string[] } },
  request: { teamId: string; orgWide: string | null },
): boolean {
  if (!user.team_id || user.team_id === request.teamId) return false;
  // An Enterprise Grid member of several workspaces names its org as its team and lists the workspaces.
  if (user.enterprise_user?.teams?.includes(request.teamId)) return false;
  // An org-wide install serves every workspace of its org: a person of the same org belongs.
  if (request.orgWide) return user.enterprise_user?.enterprise_id !== request.orgWide;
  return true;
}

/** The alert channel: the workspace's own choice, else SLACK_ALERT_CHANNEL. */
export function alertChannelOf(deps: { defaultAlertChannel: string | null }, workspace: Workspace): string | null {
  return workspace.alertChannel ?? deps.defaultAlertChannel;
}

/** Bolt refuses requests stamped more than five minutes ago; this refuses those stamped as far ahead. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * True when a request's `X-Slack-Request-Timestamp` lies more than five minutes in the future of
 * `nowMs`: a replay window Bolt's check (staleness only) leaves open. The wall clock, not the
 * app's clock: it must agree with the one Bolt verifies signatures against.
 */
export function isStampedInTheFuture(header: string | string[] | undefined, nowMs: number): boolean {
  const stamp = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(stamp) && stamp > Math.floor(nowMs / 1000) + MAX_CLOCK_SKEW_SECONDS;
}

/**
 * An interaction payload that names no user (Bolt fails reading it before any middleware runs):
 * true when the raw request is one, so the receiver answers it with a plain 200, not a 500.
 */
export function namesNobody(rawBody: Buffer | undefined): boolean {
  if (!rawBody) return false;
  try {
    const payload = new URLSearchParams(rawBody.toString('utf8')).get('payload');
    if (!payload) return false;
    const body = JSON.parse(payload) as Body;
    return typeof body.type === 'string' && !(body.user && typeof body.user.id === 'string');
  } catch {
    return false;
  }
}

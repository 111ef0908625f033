/**
 * Who a request comes from, checked before any listener runs: the workspace must be one the bot
 * serves, and the person must belong to it. Slack signs what it sends (the receiver checks the
 * signature and its age); this decides what a signed request may do.
 *
 * - A workspace is served when it is the bot token's own team (Slack's `auth.test`, asked once per
 *   app) or one already recorded (created by the command line's `import` or `settings`, or by
 *   an earlier request from the token's team). Any other team id gets a polite refusal, and
 *   nothing is created for it.
 * - A person belongs to the workspace when Slack says so: their own `user.team_id` is the
 *   workspace (or, for an org-wide install, they are of the same Enterprise Grid org). Someone
 *   from another organisation in a channel shared through Slack Connect is `external`: they may
 *   look, but get no role, are never made an admin and are told why when they try to change
 *   something (see services/permissions.ts).
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { Store } from '../store';

/** The bot token's own team, from `auth.test`, asked once and remembered (per app, in its deps). */
export class Installation {
  private team: Promise<{ teamId: string | null; enterpriseId: string | null }> | null = null;

  constructor(private readonly client: () => WebClient) {}

  async teamId(): Promise<string | null> {
    return (await this.ask()).teamId;
  }

  private ask(): Promise<{ teamId: string | null; enterpriseId: string | null }> {
    if (!this.team) {
      const asked = this.client()
        .auth.test()
        .then((answer) => ({ teamId: answer.team_id ?? null, enterpriseId: answer.enterprise_id ?? null }));
      // A failure (Slack unreachable) is not remembered: the next request asks again.
      asked.catch(() => (this.team = null));
      this.team = asked;
    }
    return this.team;
  }
}

export interface IdentityDeps {
  store: Store;
  logger: Logger;
  installation: Pick<Installation, 'teamId'>;
}

/** What a request says about where it comes from, whatever its kind. */
interface Origin {
  kind: 'command' | 'interaction' | 'event' | 'other';
  teamId: string | null;
  userId: string | null;
}

type Body = Record<string, unknown> & {
  type?: string;
  team_id?: string;
  user_id?: string;
  command?: string;
  team?: { id?: string } | null;
  user?: { id?: string; team_id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
  is_enterprise_install?: boolean;
  view?: { team_id?: string };
  event?: { user?: unknown };
};

function originOf(body: Body): Origin {
  if (typeof body.command === 'string') return { kind: 'command', teamId: body.team_id ?? null, userId: body.user_id ?? null };
  if (body.type === 'event_callback') return { kind: 'event', teamId: body.team_id ?? null, userId: null };
  if (
    typeof body.type === 'string' &&
    ['block_actions', 'view_submission', 'view_closed', 'block_suggestion', 'shortcut', 'message_action'].includes(body.type)
  ) {
    return { kind: 'interaction', teamId: body.team?.id ?? body.view?.team_id ?? null, userId: body.user?.id ?? null };
  }
  return { kind: 'other', teamId: null, userId: null };
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
  return (await deps.store.workspaces.findById(teamId)) !== null;
}

export const NOT_SERVED =
  'Channel Keeper is not installed in this workspace, so it cannot keep channels here. Ask a Slack admin of your workspace to install it.';
export const NO_USER = 'Slack did not say who pressed this, so nothing was done. Try again from Slack.';

/**
 * The global middleware: refuses a request for a workspace the bot does not serve, or an
 * interaction that names no person, with a short answer (HTTP 200, never an error), before any
 * listener runs or anything is written.
 */
export function identityGate(deps: IdentityDeps): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Body;
    const origin = originOf(body);
    if (origin.kind === 'other') return args.next();
    let refusal: string | null = null;
    if (origin.kind !== 'event' && !origin.userId) refusal = NO_USER;
    else if (!origin.teamId || !(await isServed(deps, origin.teamId))) refusal = NOT_SERVED;
    if (refusal === null) return args.next();
    deps.logger.info({ team: origin.teamId, kind: origin.kind, type: body.type }, refusal === NO_USER ? 'refused: no user' : 'refused: workspace not served');
    await refuse(args, origin, refusal);
  };
}

async function refuse(args: AnyMiddlewareArgs, origin: Origin, text: string): Promise<void> {
  const { ack } = args as unknown as { ack?: (answer?: unknown) => Promise<void> };
  if (origin.kind === 'event' || !ack) return; // events are acknowledged by Bolt already
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

/**
 * The real Bolt app in HTTP mode on a random port, a fake Slack Web API behind it, and a real
 * Store: tests send signed requests exactly as Slack does and read what the app posted back.
 */
import type { SyncReport } from '../../../src/services/sync-report';
import { createHmac } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import { createApp, EVENTS_PATH, type ChannelKeeperApp } from '../../../src/bot/app';
import type { Config } from '../../../src/config';
import { silentLogger, type Logger } from '../../../src/logger';
import type { Store } from '../../../src/store/store';
import { uniqueId } from '../../support/databases';
import { FakeSlack, type SlackCall } from '../../support/fake-slack';

export const SIGNING_SECRET = 'test-signing-secret';
export const TODAY = '2026-06-15';
export const NOW = new Date(`${TODAY}T12:00:00Z`);

export interface HttpAnswer {
  status: number;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: Record<string, unknown> | null;
}

export interface SignOptions {
  timestamp?: number;
  secret?: string;
  signature?: string;
}

export class SlackHarness {
  private constructor(
    readonly fake: FakeSlack,
    readonly bot: ChannelKeeperApp,
    readonly baseUrl: string,
    readonly store: Store,
  ) {}

  static async start(
    store: Store,
    options: {
      now?: () => Date;
      alertChannel?: string | null;
      checkNow?: (workspaceId: string) => Promise<void>;
      syncSources?: (workspaceId: string) => Promise<SyncReport>;
      sourceKeys?: { current: Buffer };
      publicUrl?: string | null;
      /** The sources' addresses and Hootsuite's OAuth client (HOOTSUITE_API_URL, HOOTSUITE_CLIENT_ID…). */
      sources?: Config['sources'];
      logger?: Logger;
    } = {},
  ): Promise<SlackHarness> {
    const fake = await new FakeSlack().start();
    const config: Config = {
      database: store.target,
      slack: { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, appToken: null, socketMode: false, apiUrl: fake.apiUrl },
      alertChannel: options.alertChannel ?? null,
      port: 0,
      logLevel: 'silent',
      publicUrl: options.publicUrl ?? null,
      ...(options.sources ? { sources: options.sources } : {}),
    };
    const bot = createApp({
      config,
      store,
      logger: options.logger ?? silentLogger,
      now: options.now ?? (() => NOW),
      checkNow: options.checkNow,
      syncSources: options.syncSources,
      sourceKeys: options.sourceKeys,
    });
    const port = await bot.start(0);
    return new SlackHarness(fake, bot, `http://127.0.0.1:${port}`, store);
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.fake.stop();
  }

  /** POSTs a body to /slack/events signed with the signing secret (or as told, to test refusals). */
  async post(body: string, contentType: string, sign: SignOptions = {}, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const timestamp = sign.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = sign.signature ?? signatureOf(sign.secret ?? SIGNING_SECRET, timestamp, body);
    const response = await fetch(`${this.baseUrl}${EVENTS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature, ...headers },
      body,
    });
    const text = await response.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: response.status, text, json };
  }

  /** `/channels <text>` as a slash command from `user` in `team`. */
  command(team: string, user: string, text: string, sign: SignOptions = {}): Promise<HttpAnswer> {
    const form = new URLSearchParams({
      token: 'legacy',
      team_id: team,
      team_domain: 'test',
      channel_id: 'CWORK',
      channel_name: 'work',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/channels',
      text,
      api_app_id: 'A0001',
      response_url: this.fake.responseUrl(),
      trigger_id: `trigger-${uniqueId('')}`,
    });
    return this.post(form.toString(), 'application/x-www-form-urlencoded', sign);
  }

  /** An interactivity payload (block_actions, view_submission). */
  interaction(payload: Record<string, unknown>, sign: SignOptions = {}): Promise<HttpAnswer> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', sign);
  }

  /** An Events API callback. */
  event(team: string, event: Record<string, unknown>, eventId = `Ev${uniqueId('')}`): Promise<HttpAnswer> {
    return this.post(
      JSON.stringify({ token: 'legacy', team_id: team, api_app_id: 'A0001', type: 'event_callback', event_id: eventId, event_time: 1, event }),
      'application/json',
    );
  }

  /** Waits until `predicate` holds for the recorded calls (polling, not sleeping a fixed time). */
  async waitFor<T>(find: (calls: SlackCall[]) => T | undefined | null | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find(this.fake.calls);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out; calls so far: ${this.fake.calls.map((c) => c.method).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The n-th message posted to a response_url (0 = first), once it arrives. */
  response(n = 0): Promise<ResponseMessage> {
    return this.waitFor((calls) => calls.filter((c) => c.method === 'response_url')[n]?.body as ResponseMessage | undefined);
  }

  /** Text of a message: its fallback and every block's text, for assertions. */
  static textOf(message: { text?: unknown; blocks?: unknown }): string {
    return [String(message.text ?? ''), JSON.stringify(message.blocks ?? [])].join('\n');
  }
}

export interface ResponseMessage {
  text: string;
  blocks?: KnownBlock[];
  response_type?: string;
  replace_original?: boolean;
  delete_original?: boolean;
}

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Polls an async condition (database state after an acked request) until it holds. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The usual suite set-up: one harness on the suite's database for all its tests, its fake Slack's
 * call log cleared before each. Returns the harness (ready inside tests).
 */
export function slackPerSuite(db: () => { store: Store }, options: Parameters<typeof SlackHarness.start>[1] = {}): () => SlackHarness {
  let slack: SlackHarness | undefined;
  beforeAll(async () => {
    slack = await SlackHarness.start(db().store, options);
  });
  afterAll(async () => slack?.stop());
  beforeEach(() => slack?.fake.reset());
  return () => {
    if (!slack) throw new Error('the Slack harness starts in beforeAll');
    return slack;
  };
}

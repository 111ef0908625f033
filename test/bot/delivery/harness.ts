/**
 * End-to-end set-up for the outbox: the real Slack adapter and WebClient against the fake Slack on
 * loopback, the real outbox worker, a clock whose sleeps are recorded instead of waited, and
 * seeding through the store.
 */
import type { KnownBlock } from '@slack/types';
import { createDeliveryClient } from '../../../src/bot/delivery/client';
import { singlePort, SlackPortAdapter, type SlackPortOptions } from '../../../src/bot/delivery/slack-port';
import type { Connection, NewWarning, Workspace } from '../../../src/domain';
import { silentLogger } from '../../../src/logger';
import type { DeliveryReport } from '../../../src/outbox/report';
import type { SlackPorts } from '../../../src/outbox/slack-port';
import { OutboxWorker, type OutboxWorkerDeps } from '../../../src/outbox/worker';
import type { ConnectionInput } from '../../../src/store/connection-repository';
import type { Store } from '../../../src/store/store';
import { connectionInput, newWarning, newWorkspace } from '../../support/factories';
import { FakeSlack } from '../../support/fake-slack';
import { checkMessageLimits } from '../support/block-kit-limits';

export const NOW = new Date('2026-11-28T09:00:00Z');

/** A message Slack accepted (faulted calls never reach the responder). */
export interface Posted {
  channel: string;
  ts: string;
  text: string;
  blocks: KnownBlock[];
  metadata?: unknown;
}

export class FakeClock {
  t = 1_000_000;
  readonly sleeps: number[] = [];
  now = (): Date => new Date(this.t);
  sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.t += ms;
  };
}

export interface FakeSlackFile {
  fake: FakeSlack;
  posted: Posted[];
  /** Runs after each accepted post (reset before each test), e.g. to inject a fault for later calls. */
  hooks: { afterPost?: (message: Posted) => void };
}

/** Starts the fake once per file; `posted` collects accepted chat.postMessage calls. */
export function fakeSlackForFile(): FakeSlackFile {
  const fake = new FakeSlack();
  const posted: Posted[] = [];
  const hooks: FakeSlackFile['hooks'] = {};
  let ts = 0;
  beforeAll(async () => {
    await fake.start();
    fake.respond('chat.postMessage', (body) => {
      ts += 1;
      const message = {
        channel: String(body.channel),
        ts: `1800000000.${String(ts).padStart(6, '0')}`,
        text: String(body.text),
        blocks: body.blocks as KnownBlock[],
        metadata: body.metadata,
      };
      posted.push(message);
      hooks.afterPost?.(message);
      return { channel: message.channel, ts: message.ts };
    });
    // The channel's messages, newest first, with their metadata (as with include_all_metadata). The
    // fake names the bot's DM with a user `D<user id>` (conversations.open), and keeps DMs under the user id.
    fake.respond('conversations.history', (body) => ({
      messages: posted
        .filter((m) => m.channel === String(body.channel) || `D${m.channel}` === String(body.channel))
        .reverse()
        .map((m) => ({ ts: m.ts, text: m.text, metadata: m.metadata })),
    }));
  });
  beforeEach(() => {
    fake.reset();
    posted.length = 0;
    delete hooks.afterPost;
  });
  // Every message any test got accepted (warnings, digests, DMs, notices) must be one Slack would accept.
  afterEach(() => expect(posted.flatMap((message) => checkMessageLimits(message).map((v) => `${message.channel} ${message.ts}: ${v}`))).toEqual([]));
  afterAll(() => fake.stop());
  return { fake, posted, hooks };
}

/** The Slack side of a test outbox, and the worker options that go with it. */
export interface TestDelivery {
  store: Store;
  slack: SlackPorts;
  alertChannelFallback?: string | null;
  firstRetryMs?: number;
}

export interface TestDeliveryOptions extends Partial<Omit<SlackPortOptions, 'client' | 'logger'>> {
  alertChannelFallback?: string | null;
  firstRetryMs?: number;
  /** The client's request timeout: short only where a test makes Slack answer late on purpose. */
  timeoutMs?: number;
}

export function makeDelivery(store: Store, fake: FakeSlack, clock: FakeClock, options: TestDeliveryOptions = {}): TestDelivery {
  const { alertChannelFallback, firstRetryMs, timeoutMs, ...port } = options;
  // A generous timeout: on a loaded machine the fake may take a while to answer, and a timed-out
  // post is a temporary failure that would change what a test sees.
  const client = createDeliveryClient('xoxb-test-token', { slackApiUrl: fake.apiUrl, timeoutMs: timeoutMs ?? 10_000 });
  const adapter = new SlackPortAdapter({ client, logger: silentLogger, sleep: clock.sleep, now: clock.now, ...port });
  return { store, slack: singlePort(adapter), alertChannelFallback, firstRetryMs };
}

/** The outbox worker over a test delivery, with its own clock. */
export function workerFor(delivery: TestDelivery, now: () => Date, extra: Partial<OutboxWorkerDeps> = {}): OutboxWorker {
  const { store, slack, alertChannelFallback, firstRetryMs } = delivery;
  return new OutboxWorker({ store, slack, now, logger: silentLogger, holder: 'test', alertChannelFallback, firstRetryMs, ...extra });
}

/**
 * One pass of the outbox worker over one workspace, as of `now`: what this pass did with its rows
 * (posted, failed, put back to pending) and why, when some were not posted.
 */
export async function drain(delivery: TestDelivery, context: { workspace: Workspace; now: Date; connections?: unknown }): Promise<DeliveryReport> {
  const report = await workerFor(delivery, () => context.now).drain({ workspaceId: context.workspace.id });
  const note = report.note && !report.note.endsWith('waiting for a later attempt') ? report.note : undefined;
  return { posted: report.posted, failed: report.failed, pending: report.requeued, ...(note ? { note } : {}) };
}

export interface Seeded {
  workspace: Workspace;
  connections: Map<number, Connection>;
}

/** A workspace with an alert channel (or none), its connections, and `warningsPer` pending warnings each. */
export async function seed(
  store: Store,
  options: { alertChannel?: string | null; connections?: Partial<ConnectionInput>[]; warningsPer?: number; warning?: Partial<NewWarning> } = {},
): Promise<Seeded> {
  const id = await newWorkspace(store);
  const workspace = await store.workspaces.updateSettings(id, { alertChannel: options.alertChannel === undefined ? 'CALERT' : options.alertChannel });
  const connections = new Map<number, Connection>();
  const rows: NewWarning[] = [];
  for (const input of options.connections ?? [{}]) {
    const c = await store.connections.create(id, connectionInput(input), 'USETUP');
    connections.set(c.id, c);
    for (let i = 0; i < (options.warningsPer ?? 1); i++) rows.push(newWarning(id, c.id, { stage: `${30 - i}d`, ...options.warning }));
  }
  await store.warnings.upsertMany(rows);
  return { workspace, connections };
}

/** Warning ids named in a message's button / option values. */
export function warningIdsIn(message: Pick<Posted, 'blocks'>): number[] {
  const ids = new Set<number>();
  for (const match of JSON.stringify(message.blocks).matchAll(/\\"warningIds\\":\[([\d,]*)\]/g)) {
    for (const id of match[1]!.split(',').filter(Boolean)) ids.add(Number(id));
  }
  return [...ids];
}

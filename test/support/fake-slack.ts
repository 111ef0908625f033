/**
 * A fake Slack Web API on 127.0.0.1 for tests: Bolt's and @slack/web-api's clients point at it
 * (`clientOptions.slackApiUrl` / SLACK_API_URL = `fake.apiUrl`). It records every call, answers
 * with plausible defaults, and can inject faults per method: HTTP 429 with Retry-After, 500,
 * a Slack error (`not_in_channel`…), or a delay longer than the client's timeout. It also serves
 * `response_url`s (`fake.responseUrl()`), recording what is posted to them, and the files.uploadV2
 * flow: files.getUploadURLExternal hands out an upload URL here, the bytes posted to it are kept in
 * `uploads`, files.completeUploadExternal shares them. Canvases: conversations.canvases.create makes
 * a channel's one canvas (`channel_canvas_already_exists` for a second), conversations.info shows it
 * in `properties.canvas`, canvases.edit rewrites it, canvases.sections.lookup finds its headings;
 * `canvases` holds them all. functions.completeSuccess / completeError answer ok (see `calls`).
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string; // e.g. "chat.postMessage", or "response_url"
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface Fault {
  /** HTTP status to answer with (429, 500…); default 200 with `ok: false`. */
  status?: number;
  retryAfterSeconds?: number;
  /** Slack error code for a 200 `ok: false` answer. */
  error?: string;
  /** Wait this long before answering (to trigger client timeouts). */
  delayMs?: number;
  /** How many calls the fault applies to (default 1); `Infinity` for all. */
  times?: number;
  /** Fraction of calls affected, from a seeded sequence (0..1); default 1. */
  rate?: number;
}

export interface FakeCanvas {
  id: string;
  channel: string;
  title: string;
  markdown: string;
  /** How many times canvases.edit changed it. */
  edits: number;
}

type Responder = (body: Record<string, unknown>, call: SlackCall) => Record<string, unknown>;

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server?: http.Server;
  private faults = new Map<string, Required<Omit<Fault, 'status' | 'retryAfterSeconds' | 'error'>> & Fault>();
  private responders = new Map<string, Responder>();
  private tsCounter = 0;
  private seed = 42;
  users = new Map<string, Record<string, unknown>>();
  /** Files uploaded to the URLs files.getUploadURLExternal gave out, by file id. */
  readonly uploads = new Map<string, { filename: string; bytes: Buffer }>();
  private fileCounter = 0;
  /** Canvases by id: the channel whose canvas it is, its title and its markdown now. */
  readonly canvases = new Map<string, FakeCanvas>();
  private canvasCounter = 0;

  get apiUrl(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/`;
  }

  responseUrl(id = 'r1'): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/response/${id}`;
  }

  /** Listens on `port` (default: any free one); a Slack coming back after an outage reuses the old port. */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Calls to one method (or `response_url`). */
  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
  }

  fail(method: string, fault: Fault): void {
    this.faults.set(method, { times: 1, rate: 1, delayMs: 0, ...fault });
  }

  /** A canvas made in a channel by someone else (the team's own), as Slack would hold it. */
  addCanvas(channel: string, title: string, markdown: string): FakeCanvas {
    this.canvasCounter += 1;
    const canvas = { id: `F0CANVAS${String(this.canvasCounter).padStart(4, '0')}`, channel, title, markdown, edits: 0 };
    this.canvases.set(canvas.id, canvas);
    return canvas;
  }

  /** The canvases of a channel (Slack allows one channel canvas). */
  canvasesIn(channel: string): FakeCanvas[] {
    return [...this.canvases.values()].filter((c) => c.channel === channel);
  }

  /** Overrides the answer of a method (merged over `{ ok: true }`). */
  respond(method: string, responder: Responder): void {
    this.responders.set(method, responder);
  }

  /** A user `users.info` will describe. */
  addUser(
    id: string,
    fields: {
      is_admin?: boolean;
      is_owner?: boolean;
      deleted?: boolean;
      name?: string;
      real_name?: string;
      /** What people see: Slack's display name (empty when the person set none). */
      profile?: { display_name?: string; real_name?: string };
      is_bot?: boolean;
      /** The person's own workspace (another one for a Slack Connect guest). */
      team_id?: string;
      enterprise_user?: { enterprise_id?: string; teams?: string[] };
    } = {},
  ): void {
    this.users.set(id, {
      id,
      name: fields.name ?? id.toLowerCase(),
      real_name: fields.real_name ?? id,
      is_admin: false,
      is_owner: false,
      deleted: false,
      is_bot: false,
      ...fields,
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const bytes = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const url = req.url ?? '/';
    if (url.startsWith('/upload/')) return this.receiveUpload(url.slice('/upload/'.length), bytes, req, res);
    const body = parseBody(bytes.toString('utf8'), req.headers['content-type'] ?? '');
    const method = url.startsWith('/response/') ? 'response_url' : url.replace(/^\/api\//, '').split('?')[0]!;
    const call: SlackCall = { method, body, headers: req.headers, at: Date.now() };
    this.calls.push(call);

    const fault = this.faults.get(method);
    if (fault && fault.times > 0 && this.random() < fault.rate) {
      fault.times -= 1;
      // Unref: a "never answers" delay must not keep the test process alive after the fake stops.
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs).unref());
      if (fault.status && fault.status !== 200) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers).end(JSON.stringify({ ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' }));
        return;
      }
      if (fault.error) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: fault.error }));
        return;
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.answer(method, body, call)));
  }

  private answer(method: string, body: Record<string, unknown>, call: SlackCall): Record<string, unknown> {
    const custom = this.responders.get(method);
    if (custom) return { ok: true, ...custom(body, call) };
    switch (method) {
      case 'chat.postMessage':
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: method === 'chat.update' ? body.ts : this.nextTs(), message: { text: body.text } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${String(body.users ?? 'X').split(',')[0]}` } };
      case 'users.info': {
        const user = this.users.get(String(body.user));
        return user ? { ok: true, user } : { ok: false, error: 'user_not_found' };
      }
      case 'files.getUploadURLExternal': {
        this.fileCounter += 1;
        const fileId = `F${String(this.fileCounter).padStart(6, '0')}`;
        this.uploads.set(fileId, { filename: String(body.filename), bytes: Buffer.alloc(0) });
        return { ok: true, file_id: fileId, upload_url: `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/upload/${fileId}` };
      }
      case 'files.completeUploadExternal': {
        const files = (Array.isArray(body.files) ? body.files : []) as { id: string; title?: string }[];
        const unknown = files.find((f) => !this.uploads.get(f.id)?.bytes.length);
        if (unknown) return { ok: false, error: 'file_not_found' };
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? this.uploads.get(f.id)!.filename })) };
      }
      case 'conversations.canvases.create': {
        const channel = String(body.channel_id);
        if (this.canvasesIn(channel).length) return { ok: false, error: 'channel_canvas_already_exists' };
        const content = body.document_content as { markdown?: string } | undefined;
        return { ok: true, canvas_id: this.addCanvas(channel, String(body.title ?? ''), content?.markdown ?? '').id };
      }
      case 'conversations.info': {
        const [canvas] = this.canvasesIn(String(body.channel));
        return canvas ? { ok: true, channel: { id: body.channel, properties: { canvas: { file_id: canvas.id, is_empty: false } } } } : { ok: true };
      }
      case 'canvases.edit': {
        const canvas = this.canvases.get(String(body.canvas_id));
        if (!canvas) return { ok: false, error: 'canvas_not_found' };
        const changes = (Array.isArray(body.changes) ? body.changes : []) as {
          operation: string;
          section_id?: string;
          document_content?: { markdown?: string };
        }[];
        if (changes.length !== 1) return { ok: false, error: 'invalid_arguments' };
        const [change] = changes;
        if (change!.operation !== 'replace' || change!.section_id) return { ok: false, error: 'not_supported_by_fake' };
        canvas.markdown = change!.document_content?.markdown ?? '';
        canvas.edits += 1;
        return { ok: true };
      }
      case 'canvases.sections.lookup': {
        const canvas = this.canvases.get(String(body.canvas_id));
        if (!canvas) return { ok: false, error: 'canvas_not_found' };
        const criteria = (body.criteria ?? {}) as { section_types?: string[]; contains_text?: string };
        const sections = canvas.markdown.split('\n').flatMap((line, index) => {
          const level = /^(#{1,3}) /.exec(line)?.[1]?.length;
          if (!level) return [];
          const type = `h${level}`;
          if (criteria.section_types && !criteria.section_types.some((t) => t === type || t === 'any_header')) return [];
          if (criteria.contains_text && !line.includes(criteria.contains_text)) return [];
          return [{ id: `temp:C:${canvas.id}${index}` }];
        });
        return { ok: true, sections };
      }
      case 'functions.completeSuccess':
      case 'functions.completeError':
        return body.function_execution_id ? { ok: true } : { ok: false, error: 'invalid_arguments' };
      case 'auth.test':
        return { ok: true, team_id: 'T0001', user_id: 'UBOT', bot_id: 'BBOT', team: 'Test team' };
      case 'views.open':
      case 'views.update':
      case 'views.publish':
      case 'views.push':
        return { ok: true, view: { id: 'V1', ...(typeof body.view === 'string' ? JSON.parse(body.view) : (body.view as object)) } };
      default:
        return { ok: true };
    }
  }

  /** The upload step: @slack/web-api posts the file as multipart form data (field `body`). */
  private async receiveUpload(fileId: string, bytes: Buffer, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const upload = this.uploads.get(fileId);
    this.calls.push({ method: 'upload', body: { fileId }, headers: req.headers, at: Date.now() });
    if (!upload) {
      res.writeHead(404).end('no such upload');
      return;
    }
    const form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    const file = form.get('body');
    upload.bytes = typeof file === 'string' || file === null ? Buffer.from(file ?? '') : Buffer.from(await file.arrayBuffer());
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${upload.bytes.length}`);
  }

  private nextTs(): string {
    this.tsCounter += 1;
    return `1700000000.${String(this.tsCounter).padStart(6, '0')}`;
  }

  /** Deterministic pseudo-random numbers, so fault rates give the same sequence every run. */
  private random(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2147483648;
    return this.seed / 2147483648;
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) return JSON.parse(raw);
  const params = new URLSearchParams(raw);
  const out: Record<string, unknown> = {};
  for (const [key, value] of params) {
    // @slack/web-api form-encodes objects (blocks, view) as JSON strings.
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

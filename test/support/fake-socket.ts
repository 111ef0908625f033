/**
 * Slack's Socket Mode end, for tests: a WebSocket server on 127.0.0.1 (the handshake and text
 * frames of RFC 6455, enough for @slack/socket-mode's client) that the fake Slack's
 * `apps.connections.open` points the app at. It says hello, sends envelopes as Slack does and
 * records what the app sends back (the acknowledgements).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export class FakeSocketMode {
  /** Every text message the app sent, parsed. */
  readonly received: Record<string, unknown>[] = [];
  private server?: http.Server;
  private socket: Duplex | null = null;
  private connected: Promise<void>;
  private markConnected!: () => void;
  private closed: Promise<void>;
  private markClosed!: () => void;

  constructor() {
    this.connected = new Promise((resolve) => (this.markConnected = resolve));
    this.closed = new Promise((resolve) => (this.markClosed = resolve));
  }

  /** Resolves once the app has closed the connection (the close handshake done). */
  whenClosed(): Promise<void> {
    return this.closed;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}/link/?ticket=test`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket) => this.accept(req, socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Resolves once the app has connected (and been greeted with `hello`). */
  whenConnected(): Promise<void> {
    return this.connected;
  }

  /** Sends one envelope; resolves with the app's acknowledgement of it. */
  async send(type: string, payload: Record<string, unknown>, envelopeId: string): Promise<Record<string, unknown>> {
    this.write({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' });
    return this.waitFor((m) => m.envelope_id === envelopeId);
  }

  async waitFor(match: (message: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such message from the app; received: ${JSON.stringify(this.received)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private accept(req: http.IncomingMessage, socket: Duplex): void {
    const accept = createHash('sha1')
      .update(`${String(req.headers['sec-websocket-key'])}${GUID}`)
      .digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    this.socket = socket;
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const frame = readFrame(buffer);
        if (!frame) break;
        buffer = buffer.subarray(frame.length);
        if (frame.opcode === 1) this.received.push(JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>);
        else if (frame.opcode === 9) socket.write(frameOf(10, frame.payload));
        else if (frame.opcode === 8) socket.end(frameOf(8, frame.payload));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.markClosed());
    this.write({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' }, connection_info: { app_id: 'A0001' } });
    this.markConnected();
  }

  private write(message: Record<string, unknown>): void {
    if (!this.socket) throw new Error('the app is not connected');
    this.socket.write(frameOf(1, Buffer.from(JSON.stringify(message), 'utf8')));
  }
}

/** A server frame: final, unmasked. */
function frameOf(opcode: number, payload: Buffer): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([0x80 | opcode, payload.length])
      : payload.length < 65_536
        ? Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(payload.length)]);
  return Buffer.concat([head, payload]);
}

function bigLength(length: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(length));
  return out;
}

/** One whole client frame (masked) at the start of `buffer`, or null when more bytes are needed. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buffer.length < 2) return null;
  const opcode = buffer[0]! & 0x0f;
  const masked = (buffer[1]! & 0x80) !== 0;
  let length = buffer[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = buffer.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const mask = masked ? buffer.subarray(offset, offset + 4) : null;
  if (masked) offset += 4;
  if (buffer.length < offset + length) return null;
  const payload = Buffer.from(buffer.subarray(offset, offset + length));
  if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  return { opcode, payload, length: offset + length };
}

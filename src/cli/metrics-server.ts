/**
 * `GET /metrics` on a port of its own (METRICS_PORT), never the Slack one: the Slack port is public
 * in multi-workspace mode, this one only needs to reach Prometheus. Without METRICS_TOKEN it listens
 * on loopback unless METRICS_HOST says otherwise; with it, every request must carry the token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { DEFAULT_METRICS_PORT } from '../config';
import { ConfigError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';

export const METRICS_PATH = '/metrics';
const LOOPBACK = '127.0.0.1';

export interface MetricsServer {
  /** Where it listens (the address and the port chosen when METRICS_PORT is 0). */
  host: string;
  port: number;
  close(): Promise<void>;
}

/** Where /metrics listens: METRICS_HOST, else every interface (undefined) when a token protects it, else loopback. */
export function metricsAddress(config: Pick<Config, 'metricsPort' | 'metricsHost' | 'metricsToken'>): { host: string | undefined; port: number } {
  return { host: config.metricsHost ?? (config.metricsToken ? undefined : LOOPBACK), port: config.metricsPort ?? DEFAULT_METRICS_PORT };
}

/** Compared as hashes: equal length, and in constant time. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export async function startMetricsServer(
  config: Pick<Config, 'metricsPort' | 'metricsHost' | 'metricsToken'>,
  metrics: Pick<Metrics, 'text' | 'contentType'>,
  logger: Logger,
): Promise<MetricsServer> {
  const token = config.metricsToken ?? null;
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (path !== METRICS_PATH)
      return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: this port serves /metrics only\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (token) {
      const [scheme, given] = (req.headers.authorization ?? '').split(' ', 2);
      if (scheme?.toLowerCase() !== 'bearer' || !given || !sameToken(given, token)) {
        return void res
          .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="metrics"' })
          .end('unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n');
      }
    }
    metrics.text().then(
      (text) => res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (error: Error) => {
        logger.error({ err: { message: error.message } }, 'could not collect the metrics');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('could not collect the metrics\n');
      },
    );
  });
  const { host, port } = metricsAddress(config);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is in use'
          : error.code === 'EADDRNOTAVAIL'
            ? 'is not an address of this machine'
            : `failed (${error.code ?? error.message})`;
      reject(new ConfigError(`METRICS_PORT ${port} on ${host ?? 'every interface'} ${why}: set METRICS_PORT (or METRICS_HOST) to one that is free`));
    });
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  logger.info({ host: bound.address, port: bound.port, token: Boolean(token) }, 'serving /metrics');
  return {
    host: bound.address,
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

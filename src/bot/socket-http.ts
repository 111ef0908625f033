/**
 * Socket Mode needs no public endpoint, but probes and calendar feeds still need HTTP: this small
 * server answers the app's own routes (Bolt's would listen on every interface, with no way to say
 * where), on `HOST` or loopback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';

/** `/calendar/:file` → a pattern with one named group per `:name` segment. */
function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? `(?<${segment.slice(1)}>[^/]+)` : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

export function routesServer(routes: readonly CustomRoute[]): http.Server {
  const compiled = routes.map((route) => ({ route, pattern: patternOf(route.path), methods: [route.method].flat().map((m) => m.toUpperCase()) }));
  return http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://bot').pathname;
    for (const { route, pattern, methods } of compiled) {
      const match = pattern.exec(path);
      if (!match || !methods.includes(req.method ?? '')) continue;
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(Object.entries(match.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
      } catch {
        break;
      }
      return void route.handler(Object.assign(req, { params }), res);
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  });
}

/** Listens on `host` (undefined: every interface); resolves with the port (the one chosen for 0). */
export function listen(server: http.Server, port: number, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

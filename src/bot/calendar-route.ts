/**
 * `GET /calendar/<secret>.ics`: the deadlines calendar calendars subscribe to. The secret in the
 * path is the only key: an unknown or rotated one gets 404, the same answer as a path that was
 * never there (and so does a feed of an uninstalled workspace or a deactivated owner: `calendarFeed`),
 * and the secret is never logged.
 */
import type { CustomRoute } from '@slack/bolt';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openCalendarFeed } from '../services/calendar';
import type { BotDeps } from './deps';

export const CALENDAR_PATH = '/calendar/:file';

export function calendarRoute(deps: Pick<BotDeps, 'store' | 'now' | 'logger'>): CustomRoute {
  return {
    path: CALENDAR_PATH,
    method: ['GET'],
    handler: (req, res) => {
      const file = (req as { params?: Record<string, string> }).params?.file ?? '';
      const secret = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
      const notFound = () => res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      if (!secret) return void notFound();
      const failed = (error: unknown) => {
        deps.logger.error({ err: { message: (error as Error).message } }, 'could not serve a calendar feed');
        // Once the calendar has begun, the status is sent: a cut-off answer is all that is left.
        if (res.headersSent) res.destroy();
        else res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('unavailable\n');
      };
      openCalendarFeed(deps, secret).then((text) => {
        if (text === null) return notFound();
        res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' });
        // Written as it is made, at the pace the client reads: a large workspace is never held whole.
        pipeline(Readable.from(text), res).catch(failed);
      }, failed);
    },
  };
}

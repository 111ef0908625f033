/**
 * `channel-keeper serve`: checks the Slack settings and the bot token (a token Slack refuses: one
 * line, exit 2; Slack unreachable: tried again with backoff while /healthz says so), applies pending
 * migrations, then runs the bot, the daily check scheduler and the outbox worker until
 * SIGINT/SIGTERM, and shuts them down in reverse order.
 */
import { defineCommand, type CliCommand } from './command';
import type { ServeDeps } from './serve-run';

export type { ServeDeps, ServedScheduler } from './serve-run';

export function createServeCommand(deps: ServeDeps = {}): CliCommand {
  return defineCommand({
    name: 'serve',
    summary: 'run the Slack bot, the daily checks and the outbox worker',
    description:
      'Check the bot token with Slack, apply pending migrations, then run the Slack bot, the daily checks and the outbox worker. SIGINT/SIGTERM stop the scheduler, let deliveries in flight finish (up to 25 s) and exit 0 within 30 s.',
    examples: ['serve', 'serve   # with SLACK_SOCKET_MODE=false PORT=8080: HTTP mode, /slack/events, /healthz, /readyz; /metrics on METRICS_PORT (9464)'],
    async action({ io }) {
      // Bolt, Prisma and the workers are loaded when `serve` runs, not for `--help` (start-up).
      const { runServe } = await import('./serve-run');
      return runServe(deps, io);
    },
  });
}

export const serveCommand = createServeCommand();

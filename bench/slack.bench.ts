/** `npm run bench -- slack`: `/channels status` on 5,000 channels, signed request → ack and → response_url (see bench/slack.ts). */
import { runSlackBench } from './slack';
import { atMost, type Benchmark } from './support';

export const benchmark: Benchmark = {
  name: 'slack',
  description: '/channels status on a workspace with 5,000 channels, through the Bolt app over signed HTTP',
  async run(log) {
    const result = await runSlackBench({
      connections: Number(process.env.BENCH_SLACK_CONNECTIONS ?? 5000),
      requests: Number(process.env.BENCH_SLACK_REQUESTS ?? 200),
      databaseUrl: process.env.BENCH_DATABASE_URL,
      log,
    });
    const note = `${result.requests} requests, ${result.connections} channels, ${result.database}`;
    return [
      { metric: 'ack, median', value: result.ackMs.median, unit: 'ms', note },
      { metric: 'ack, p99', value: result.ackMs.p99, unit: 'ms', aim: atMost(result.ackMs.p99, 100, ' ms'), note },
      { metric: 'status list at response_url, median', value: result.responseMs.median, unit: 'ms', note },
      { metric: 'status list at response_url, p99', value: result.responseMs.p99, unit: 'ms', aim: atMost(result.responseMs.p99, 3000, ' ms'), note },
    ];
  },
};

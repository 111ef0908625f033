import { parseArgs } from 'node:util';
import { runDemo } from '../demo/run-demo';
import { CliCommand } from './command';

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo',
  summary: 'sample channels in every state, checked and printed as they read in Slack (no Slack needed)',
  async run(args, io) {
    parseArgs({ args, options: {}, strict: true });
    const { text } = await runDemo(new Date());
    io.out(text);
    return 0;
  },
};

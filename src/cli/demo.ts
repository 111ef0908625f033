import { defineCommand } from './command';

export const demoCommand = defineCommand({
  name: 'demo',
  summary: 'sample channels checked and printed (no Slack needed)',
  description: 'A throwaway SQLite database with sample channels in every state, checked and printed as they read in Slack, then deleted.',
  examples: ['demo'],
  async action({ io }) {
    const { runDemo } = await import('../demo/run-demo');
    const { text } = await runDemo(new Date());
    io.out(text);
    return 0;
  },
});

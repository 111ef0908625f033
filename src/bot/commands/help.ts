import type { KnownBlock } from '@slack/types';
import type { Subcommand } from './context';

/** Lists every subcommand; built from the router's table so it never falls out of date. */
export function helpCommand(all: () => readonly Subcommand[]): Subcommand {
  return {
    name: 'help',
    usage: '/channels help',
    summary: 'this list',
    async run(ctx) {
      const lines = all().map((s) => `\`${s.usage}\`\n${s.summary}`);
      const blocks: KnownBlock[] = [{ type: 'header', text: { type: 'plain_text', text: 'Channel Keeper: /channels' } }];
      for (let i = 0; i < lines.length; i += 6) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.slice(i, i + 6).join('\n') } });
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Names match case-insensitively; quote a name that ends in a word like a date ("Acme 2026"). Mention people with @ so Slack links them.' }] });
      await ctx.reply.ephemeral('Channel Keeper commands', blocks);
    },
  };
}

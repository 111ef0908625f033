/** The `/channels` listener: ack at once (Slack's 3 s), then work and answer through response_url. */
import type { App, RespondArguments } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { alertChannelOf, resolveAsker } from '../actor';
import type { BotDeps } from '../deps';
import type { Reply } from './context';
import { answerError } from '../answer-error';
import { runChannelsCommand } from './router';

export const CHANNELS_COMMAND = '/channels';

export function registerChannels(app: App, deps: BotDeps): void {
  app.command(CHANNELS_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const message = (text: string, blocks?: KnownBlock[]): RespondArguments => ({ text, ...(blocks ? { blocks } : {}) });
    const ephemeral = (text: string, blocks?: KnownBlock[]) => respond({ response_type: 'ephemeral', ...message(text, blocks) }).then(() => undefined);
    try {
      const { workspace, actor } = await resolveAsker(deps, client, command.team_id, command.user_id);
      const reply: Reply = {
        ephemeral,
        async announce(text, blocks) {
          const channel = alertChannelOf(deps, workspace);
          if (!channel) return void (await respond({ response_type: 'in_channel', ...message(text, blocks) }));
          await client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}) });
          await ephemeral(`Posted in <#${channel}>: ${text}`);
        },
      };
      await runChannelsCommand(command.text ?? '', {
        deps, workspace, actor, client, reply,
        channelId: command.channel_id, triggerId: command.trigger_id, responseUrl: command.response_url,
      });
    } catch (error) {
      await answerError(error, { ephemeral }, deps.logger);
    }
  });
}

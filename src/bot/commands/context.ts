/** What a `/channels` subcommand gets: the asker, the words after its name, and ways to answer. */
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import type { OperationContext } from '../operations/context';
import type { Word } from '../parse/tokens';

export interface Reply {
  /** Only the asker sees it. */
  ephemeral(text: string, blocks?: KnownBlock[]): Promise<void>;
  /** The team sees it: in the alert channel when there is one, else in the channel the command was typed in. */
  announce(text: string, blocks?: KnownBlock[]): Promise<void>;
}

export interface CommandContext extends OperationContext {
  client: WebClient;
  words: Word[];
  channelId: string;
  triggerId: string;
  responseUrl: string;
  reply: Reply;
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  run(ctx: CommandContext): Promise<void>;
}

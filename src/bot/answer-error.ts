/** How every listener turns a failure into an answer for the asker alone. */
import { ChannelKeeperError } from '../errors';
import { escapeKeepingMentions } from './mrkdwn';
import { PermissionError } from '../services/permissions';

/** Refusals (already mrkdwn) and domain errors (plain sentences, escaped) become one ephemeral line; anything else is logged. */
export async function answerError(
  error: unknown,
  reply: { ephemeral(text: string): Promise<void> },
  logger: { error: (o: object, m: string) => void },
): Promise<void> {
  if (error instanceof UsageError || error instanceof PermissionError) return reply.ephemeral(`:no_entry_sign: ${error.message}`);
  if (error instanceof ChannelKeeperError) return reply.ephemeral(`:no_entry_sign: ${escapeKeepingMentions(error.message, error.mentions)}`);
  logger.error({ err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) }, 'a /channels request failed');
  await reply.ephemeral(':warning: Something went wrong on my side; please try again in a minute. If it keeps happening, tell whoever runs Channel Keeper.');
}

/** What a person typed cannot be understood: the message says what was wrong and what to type instead. */
export class UsageError extends ChannelKeeperError {}

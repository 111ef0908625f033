/**
 * The Slack messages that carry warnings (alert channel messages, digests, DMs, escalation
 * messages), so each follows its warnings: recorded when posted (or found in the history), found
 * again by a button press, marked written once rewritten, and listed when due an update.
 */
import type { PostedMessageKind, RenderedWarning, StoredMessage } from '../store/posted-message-repository';
import type { Store } from '../store/store';

export type { RenderedWarning, StoredMessage } from '../store/posted-message-repository';

export class PostedMessages {
  constructor(private readonly store: Store) {}

  /** Remembers a message and the warnings it carries, each with the state it was written in. */
  record(message: {
    workspaceId: string;
    channel: string;
    ts: string;
    kind: PostedMessageKind;
    recipient?: string | null;
    warnings: RenderedWarning[];
  }): Promise<number> {
    return this.store.postedMessages.recordMessage(message);
  }

  find(id: number): Promise<StoredMessage | null> {
    return this.store.postedMessages.findMessage(id);
  }

  /** The stored message at this place in Slack (a pressed message), if the bot posted it. */
  findAt(channel: string, ts: string): Promise<number | null> {
    return this.store.postedMessages.findMessageAt(channel, ts);
  }

  markWritten(id: number, states: RenderedWarning[]): Promise<void> {
    return this.store.postedMessages.markMessageWritten(id, states);
  }

  /** A failed rewrite: tried again from `retryAt`, or never (null: a permanent error; `states` then count as written). */
  updateFailed(id: number, reason: string, retryAt: Date | null, states?: RenderedWarning[]): Promise<void> {
    return this.store.postedMessages.messageUpdateFailed(id, reason, retryAt, states);
  }

  /** Messages one of whose warnings changed since they were written. */
  dueForUpdate(now: Date, limit: number, workspaceId?: string): Promise<number[]> {
    return this.store.postedMessages.messagesToUpdate(now, limit, workspaceId);
  }
}

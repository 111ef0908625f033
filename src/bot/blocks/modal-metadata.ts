import type { KnownBlock } from '@slack/types';

/**
 * What a modal remembers in `private_metadata` (≤ 3000 chars): the channel it is about, where to
 * answer (the slash command's response_url), and the message to update when it came from a button.
 */
export interface ModalMetadata {
  connectionId?: number;
  responseUrl?: string;
  /** Opened from an ephemeral card: the card is replaced by a fresh one showing the outcome. */
  fromCard?: boolean;
  /** The message whose button opened the modal, to update in place after the submission. */
  message?: { channel: string; ts: string; blockId?: string; blocks?: KnownBlock[] };
}

export function encodeMetadata(metadata: ModalMetadata): string {
  return JSON.stringify(metadata);
}

export function parseMetadata(raw: string | undefined): ModalMetadata {
  try {
    const value = raw ? JSON.parse(raw) : {};
    return typeof value === 'object' && value !== null ? (value as ModalMetadata) : {};
  } catch {
    return {};
  }
}

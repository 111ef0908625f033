import { ChannelKeeperError } from '../errors';

/** What a person typed cannot be understood: the message says what was wrong and what to type instead. */
export class UsageError extends ChannelKeeperError {}

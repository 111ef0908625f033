import { ChannelKeeperError } from '../errors';

/** What a person typed cannot be understood: the message says what was wrong and what to type instead. */
export class UsageError extends ChannelKeeperError {}

/** The asker's role does not allow the action; the message says who may do it. */
export class PermissionError extends ChannelKeeperError {}

/**
 * The project's own errors. Each carries a sentence a person can act on; callers show
 * `message` as it is (to a Slack user, or as the one line a CLI prints before exiting).
 */
export class ChannelKeeperError extends Error {
  /**
   * The Slack user ids the message names as `<@id>` on purpose: only these stay live mentions
   * when it is shown in Slack; everything else in it (channel names) is escaped.
   */
  readonly mentions: readonly string[];

  constructor(message: string, options: { mentions?: readonly string[] } = {}) {
    super(message);
    this.name = new.target.name;
    this.mentions = options.mentions ?? [];
  }
}

/** Bad configuration (environment, DATABASE_URL): the CLI exits with code 2. */
export class ConfigError extends ChannelKeeperError {}

/** The database cannot be reached or opened: the CLI exits with code 2. */
export class DatabaseUnavailableError extends ChannelKeeperError {}

/** A unique rule was broken, e.g. a second LinkedIn channel with the same name. */
export class ConflictError extends ChannelKeeperError {}

/** A row the caller named does not exist (in this workspace). */
export class NotFoundError extends ChannelKeeperError {}

/** Input that breaks a domain rule (a future date, a refresh before the connection…). */
export class ValidationError extends ChannelKeeperError {
  constructor(
    message: string,
    readonly problems: string[] = [message],
  ) {
    super(message);
  }
}

/** Result shapes shared by the settings validators, so the bot can show every problem at once. */

/** One refused input: `field` is the path the user edited (e.g. `networks.linkedin.expiryLadder`). */
export interface FieldError {
  field: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

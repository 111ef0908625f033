/**
 * Tokens at rest: AES-256-GCM (node:crypto) under TOKEN_ENCRYPTION_KEY. A stored value is
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url): the key id (first bytes of the key's SHA-256)
 * says which key wrote it, so after a key rotation values written under TOKEN_ENCRYPTION_KEY_PREVIOUS
 * are still read, and the rewrite moves them to the current key. TOKEN_ENCRYPTION_KEY_NEXT is read
 * too but never written, nor rewritten away from: with several replicas, each one reads the new
 * key before any one writes with it (docs/operations.md "Rotating the encryption key").
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;
  private readonly nextIds: ReadonlySet<string>;

  /** `current` encrypts; `previous` and `next` (32 bytes each) only decrypt. */
  constructor(current: Buffer, previous: readonly Buffer[] = [], next: readonly Buffer[] = []) {
    if ([current, ...previous, ...next].some((k) => k.length !== 32)) throw new RangeError('token encryption keys are 32 bytes');
    this.currentId = keyId(current);
    this.nextIds = new Set(next.map(keyId));
    this.keys = new Map([...[...previous, ...next].map((k) => [keyId(k), k] as const), [this.currentId, current]]);
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, this.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Throws (never naming the value) when it was not written by one of the keys, or was altered. */
  decrypt(stored: string): string {
    const [version, id, iv, tag, body] = stored.split('.');
    const key = id ? this.keys.get(id) : undefined;
    if (version !== VERSION || !key || iv === undefined || tag === undefined || body === undefined) {
      throw new Error('a stored token was written with another TOKEN_ENCRYPTION_KEY (set the old one as TOKEN_ENCRYPTION_KEY_PREVIOUS)');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value was written with the current key. */
  isCurrent(stored: string): boolean {
    return stored.split('.')[1] === this.currentId;
  }

  /** Whether a stored value is to move to the current key: written with neither it nor a next key. */
  isOutdated(stored: string): boolean {
    const id = stored.split('.')[1] ?? '';
    return id !== this.currentId && !this.nextIds.has(id);
  }
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 8);
}

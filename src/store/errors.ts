/** Turns Prisma's errors into the project's own, so no raw Prisma error leaves src/store. */
import { ConflictError, NotFoundError } from '../errors';

export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === 'P2002';
}

export function isNotFound(error: unknown): boolean {
  return (error as { code?: string })?.code === 'P2025';
}

/** Runs `work`; a unique violation becomes ConflictError(conflict), a missing row NotFoundError(missing). */
export async function translate<T>(work: () => Promise<T>, messages: { conflict?: string; missing?: string }): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (messages.conflict && isUniqueViolation(error)) throw new ConflictError(messages.conflict);
    if (messages.missing && isNotFound(error)) throw new NotFoundError(messages.missing);
    throw error;
  }
}

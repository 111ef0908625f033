/**
 * What buttons carry in `value` (JSON, ≤ 2000 chars). Warning messages from delivery carry the same
 * shape: `{"connectionId":N,"warningIds":[…]}`. Handlers re-check workspace and permissions.
 */
export interface ConnectionActionValue {
  connectionId: number;
  warningIds?: number[];
  /** Snooze length for snooze selects/overflows: `1d`, `7d`… */
  snooze?: string;
}

/** The query behind a paginated list, so "Next page" can run it again. */
export interface PageValue {
  /** `status` (with `filter`) or `history` (with `connectionId`). */
  list: 'status' | 'history';
  filter?: string;
  connectionId?: number;
  page: number;
}

export function encodeValue(value: ConnectionActionValue | PageValue): string {
  return JSON.stringify(value);
}

export function parseConnectionValue(raw: string | undefined): ConnectionActionValue | null {
  const value = parseJson(raw);
  if (!value || !Number.isInteger(value.connectionId)) return null;
  const warningIds = Array.isArray(value.warningIds) ? value.warningIds.filter((id: unknown) => Number.isInteger(id)) : undefined;
  return { connectionId: value.connectionId, warningIds, snooze: typeof value.snooze === 'string' ? value.snooze : undefined };
}

export function parsePageValue(raw: string | undefined): PageValue | null {
  const value = parseJson(raw);
  if (!value || (value.list !== 'status' && value.list !== 'history') || !Number.isInteger(value.page) || value.page < 0) return null;
  return {
    list: value.list,
    page: value.page,
    filter: typeof value.filter === 'string' ? value.filter.slice(0, 200) : undefined,
    connectionId: Number.isInteger(value.connectionId) ? value.connectionId : undefined,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseJson(raw: string | undefined): any {
  try {
    const value = raw ? JSON.parse(raw) : null;
    return typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

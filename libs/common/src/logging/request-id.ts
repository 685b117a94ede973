import { randomUUID } from 'node:crypto';

/** Header that carries the request id between callers and services. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Returns the given id when it is a safe token (1 to 128 of A-Z a-z 0-9 . _ : -), else a new UUID. */
export function resolveRequestId(candidate: unknown): string {
  if (typeof candidate === 'string' && SAFE_REQUEST_ID.test(candidate)) {
    return candidate;
  }

  return randomUUID();
}

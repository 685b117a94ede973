/** Result of one call to the simulator's HTTP API. */
export type ApiResult =
  | { kind: 'ok'; data: unknown }
  | { kind: 'vip-error'; httpStatus: number; body: Record<string, unknown> }
  | { kind: 'unreachable'; reason: string };

const REQUEST_TIMEOUT_MS = 10_000;

/** Calls the simulator's HTTP API and classifies the outcome as success, VIP error or unreachable. */
export async function callApi(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: object,
): Promise<ApiResult> {
  let response: Response;
  try {
    response = await fetch(new URL(path, baseUrl), {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code;

    return { kind: 'unreachable', reason: code ?? (error as Error).message };
  }

  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    return { kind: 'unreachable', reason: `HTTP ${response.status} without a JSON body` };
  }
  const payload = parsed as Record<string, unknown>;
  if (response.ok && payload.status === '0000') {
    return { kind: 'ok', data: payload.data };
  }

  return { kind: 'vip-error', httpStatus: response.status, body: payload };
}

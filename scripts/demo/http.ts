export interface ApiResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Sends one JSON request and returns the status and parsed body. */
export async function requestJson(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
  timeoutMs = 15_000,
): Promise<ApiResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  if (text) {
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { text };
    }
  }

  return { status: response.status, body: parsed };
}

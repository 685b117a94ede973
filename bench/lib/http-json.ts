/** Status and parsed JSON body of one response. */
export interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Sends one JSON request for benchmark setup and returns the status and parsed body. */
export async function requestJson(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<JsonResponse> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
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

/** Throws an error naming the setup step when the status is not the expected one. */
export function expectStatus(response: JsonResponse, expected: number, step: string): void {
  if (response.status !== expected) {
    throw new Error(
      `Benchmark setup failed at "${step}": expected HTTP ${expected}, got ` +
        `${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

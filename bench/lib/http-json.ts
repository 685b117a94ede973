import { ApiResponse, requestJson as requestDemoJson } from '../../scripts/demo/http';

/** Status and parsed JSON body of one response. */
export type JsonResponse = ApiResponse;

/** Sends one JSON request for benchmark setup, allowing 30 s under load. */
export function requestJson(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<JsonResponse> {
  return requestDemoJson(url, method, headers, body, 30_000);
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

import { Agent, request as httpRequest } from 'node:http';

import * as fc from 'fast-check';
import { Client } from 'pg';

/** Type of a body field, which decides what counts as a wrong value for it. */
export type FieldType = 'string' | 'boolean' | 'integer' | 'enum';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  /** For strings: any string longer than this is invalid. */
  maxLength?: number;
  /** For strings: a fixed format (code, PIN, ID, token) that random text almost never matches. */
  formatted?: boolean;
  /** For enums: the accepted values. */
  values?: readonly string[];
  /** For integers: the accepted range. */
  min?: number;
  max?: number;
  /** A value that passes validation. */
  valid: unknown;
}

/** A generated request body: its raw text, the content type to send it with, and what it is. */
export interface BadBody {
  text: string;
  contentType: string;
  label: string;
}

/** Keys that class-transformer drops silently, so only the prototype-key check rejects them. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** JSON values of any type, nested at most three levels, small enough for the body limit. */
export const anyJson = fc.jsonValue({ maxDepth: 3 });

const unicodeText = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });

/**
 * Length as class-validator's MaxLength counts it (validator.js isLength): a
 * surrogate pair counts once and a variation selector not at all.
 */
function validatorLength(text: string): number {
  const surrogatePairs = text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) ?? [];
  const variationSelectors = text.match(/[\uFE0E\uFE0F]/g) ?? [];

  return text.length - surrogatePairs.length - variationSelectors.length;
}

/** Values that are wrong for a field whatever the rest of the body is. */
export function wrongValue(field: FieldSpec): fc.Arbitrary<unknown> {
  const notString = anyJson.filter((value) => typeof value !== 'string' && value !== null);
  const nullIfRequired = field.required ? [fc.constant(null)] : [];
  switch (field.type) {
    case 'string': {
      // Every string field has a length limit or a format that a long run of one
      // character breaks. Each run is at most 20,000 UTF-8 bytes, so three of
      // them still fit in the 64 kB body limit.
      const huge = fc.oneof(
        fc.integer({ min: 1000, max: 20_000 }).map((count) => 'x'.repeat(count)),
        fc.integer({ min: 1000, max: 10_000 }).map((count) => 'é'.repeat(count)),
      );
      const options: Array<fc.Arbitrary<unknown>> = [notString, huge, ...nullIfRequired];
      if (field.maxLength !== undefined) {
        const maxLength = field.maxLength;
        // Units in NFC without white space, because fields such as names are
        // normalised before their length is checked, and that could shorten a
        // decomposed or spaced run to within the limit.
        options.push(
          fc
            .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
            .map((unit) => unit.normalize('NFC'))
            .filter((unit) => validatorLength(unit) > 0 && !/\s/u.test(unit))
            .map((unit) => unit.repeat(Math.floor(maxLength / validatorLength(unit)) + 1)),
        );
      }
      if (field.formatted) {
        options.push(
          unicodeText,
          fc.constantFrom('１２３４５６', '12345', '1234567', ' 123456', '12 34', '٠١٢٣', ''),
        );
      }

      return fc.oneof(...options);
    }
    case 'boolean':
      return fc.oneof(
        anyJson.filter((value) => typeof value !== 'boolean' && value !== null),
        fc.constantFrom('true', 'false', 0, 1, 'on'),
        ...nullIfRequired,
      );
    case 'integer':
      return fc.oneof(
        anyJson.filter((value) => typeof value !== 'number' && value !== null),
        fc.constantFrom('5', '60', 1.5, -1, 0, 1e12, Number.MAX_SAFE_INTEGER + 2),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
        ...(field.min !== undefined ? [fc.integer({ max: field.min - 1 })] : []),
        ...(field.max !== undefined ? [fc.integer({ min: field.max + 1 })] : []),
        ...nullIfRequired,
      );
    case 'enum':
      return fc.oneof(
        notString,
        unicodeText.filter((text) => !(field.values ?? []).includes(text)),
        fc.constantFrom(...(field.values ?? []).map((value) => value.toLowerCase())),
        ...nullIfRequired,
      );
  }
}

type Mutation =
  | { kind: 'wrong'; field: string; value: unknown }
  | { kind: 'drop'; field: string }
  | { kind: 'extra'; key: string; value: unknown };

function mutation(fields: FieldSpec[]): fc.Arbitrary<Mutation> {
  const names = new Set(fields.map((field) => field.name));
  const options: Array<fc.Arbitrary<Mutation>> = [
    fc
      .record({
        kind: fc.constant('extra' as const),
        key: fc.oneof(
          fc.string({ minLength: 1, maxLength: 20 }),
          fc.constantFrom('role', 'isAdmin', 'failedAttempts', 'mfaVerified', 'id', 'status'),
        ),
        value: anyJson,
      })
      // Assigning __proto__ would set the prototype, not add a key; withRawKey covers it.
      .filter((extra) => !names.has(extra.key) && extra.key !== '__proto__'),
  ];
  for (const field of fields) {
    options.push(
      wrongValue(field).map((value) => ({ kind: 'wrong' as const, field: field.name, value })),
    );
    if (field.required) {
      options.push(fc.constant({ kind: 'drop' as const, field: field.name }));
    }
  }

  return fc.oneof(...options);
}

function applyMutations(fields: FieldSpec[], mutations: Mutation[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    body[field.name] = field.valid;
  }
  for (const change of mutations) {
    if (change.kind === 'wrong') {
      body[change.field] = change.value;
    } else if (change.kind === 'drop') {
      delete body[change.field];
    } else {
      body[change.key] = change.value;
    }
  }

  return body;
}

/** Inserts a key that JSON.stringify cannot write from an object literal, such as __proto__. */
function withRawKey(body: Record<string, unknown>, key: string, value: unknown): string {
  const text = JSON.stringify(body);
  const separator = text === '{}' ? '' : ',';

  return `${text.slice(0, -1)}${separator}${JSON.stringify(key)}:${JSON.stringify(value)}}`;
}

/**
 * Bodies that a route with these fields must reject: valid bodies with one to
 * three wrong, missing or extra fields, prototype keys at the top or nested,
 * JSON that is not an object, malformed JSON and a non-JSON content type.
 */
export function badBodies(fields: FieldSpec[]): fc.Arbitrary<BadBody> {
  const json = 'application/json';
  const mutated = fc.array(mutation(fields), { minLength: 1, maxLength: 3 }).map((changes) => ({
    text: JSON.stringify(applyMutations(fields, changes)),
    contentType: json,
    label: 'mutated',
  }));
  const prototypeKey = fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS), anyJson, fc.boolean())
    .map(([key, value, nested]) => {
      const valid = applyMutations(fields, []);
      const text = nested
        ? JSON.stringify({ ...valid, junk: '__marker__' }).replace(
            '"__marker__"',
            withRawKey({ inner: 1 }, key, value),
          )
        : withRawKey(valid, key, value);

      return { text, contentType: json, label: `prototype key ${key}` };
    });
  const notAnObject = anyJson
    .filter((value) => typeof value !== 'object' || value === null || Array.isArray(value))
    .map((value) => ({ text: JSON.stringify(value), contentType: json, label: 'not an object' }));
  const malformed = fc
    .oneof(
      fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", 'nul', '{"a":1}}', '\u0000', '[1,'),
      fc.string({ minLength: 1, maxLength: 30 }).filter((text) => {
        try {
          JSON.parse(text);

          return false;
        } catch {
          return true;
        }
      }),
    )
    .map((text) => ({ text, contentType: json, label: 'malformed JSON' }));
  const wrongContentType = fc.constantFrom('text/plain', 'application/xml').map((type) => ({
    text: JSON.stringify(applyMutations(fields, [])),
    contentType: type,
    label: `content type ${type}`,
  }));

  return fc.oneof(
    { weight: 12, arbitrary: mutated },
    { weight: 2, arbitrary: prototypeKey },
    { weight: 2, arbitrary: notAnObject },
    { weight: 2, arbitrary: malformed },
    { weight: 1, arbitrary: wrongContentType },
  );
}

/** Payloads for a TCP pattern: the same mutations, and values that are not objects. */
export function badPayloads(fields: FieldSpec[]): fc.Arbitrary<unknown> {
  const mutated = fc
    .array(mutation(fields), { minLength: 1, maxLength: 3 })
    .map((changes) => applyMutations(fields, changes));
  const prototypeKey = fc
    .tuple(fc.constantFrom(...PROTOTYPE_KEYS), anyJson)
    .map(([key, value]) => JSON.parse(withRawKey(applyMutations(fields, []), key, value)));
  // ClientProxy refuses to send a null payload, so the raw-socket test covers null.
  const notAnObject = anyJson.filter(
    (value) => value !== null && (typeof value !== 'object' || Array.isArray(value)),
  );

  return fc.oneof(
    { weight: 12, arbitrary: mutated },
    { weight: 2, arbitrary: prototypeKey },
    { weight: 2, arbitrary: notAnObject },
  );
}

/** Number of generated inputs per endpoint; FUZZ_RUNS raises it for a longer local run. */
export const FUZZ_RUNS = Math.max(1000, Number(process.env.FUZZ_RUNS ?? 1000));

/** Seed of this run, printed in every failure so a run can be repeated with FUZZ_SEED. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

/** Generates `FUZZ_RUNS` values with a seed derived from FUZZ_SEED and the endpoint name. */
export function generate<T>(arbitrary: fc.Arbitrary<T>, name: string): T[] {
  let offset = 0;
  for (const char of name) {
    offset = (offset * 31 + char.charCodeAt(0)) % 1_000_003;
  }

  return fc.sample(arbitrary, { numRuns: FUZZ_RUNS, seed: FUZZ_SEED + offset });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Returns why a response is not the expected error body, or null when it is:
 * 400 VALIDATION_FAILED for a JSON body, 415 UNSUPPORTED_MEDIA_TYPE for a
 * body sent with another content type.
 */
export function validationProblem(
  response: RawResponse,
  contentType = 'application/json',
): string | null {
  const isJson = contentType.startsWith('application/json');
  const expectedStatus = isJson ? 400 : 415;
  const expectedCode = isJson ? 'VALIDATION_FAILED' : 'UNSUPPORTED_MEDIA_TYPE';
  if (response.status !== expectedStatus) {
    return `status is not ${expectedStatus}`;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.text) as Record<string, unknown>;
  } catch {
    return 'body is not JSON';
  }
  const keys = Object.keys(body).sort().join(',');
  if (keys !== 'code,message,requestId,statusCode') {
    return `body keys are ${keys}`;
  }
  if (body.statusCode !== expectedStatus || body.code !== expectedCode) {
    return 'statusCode or code is wrong';
  }
  if (typeof body.message !== 'string' || body.message.length === 0) {
    return 'message is empty';
  }
  if (typeof body.requestId !== 'string' || body.requestId !== response.headers['x-request-id']) {
    return 'requestId does not match the x-request-id header';
  }

  return null;
}

/** Sends requests over keep-alive connections, at most `maxSockets` at a time. */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });

  constructor(private readonly baseUrl: string) {}

  send(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> {
    const url = new URL(path, this.baseUrl);

    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `task` on every item with at most `concurrency` tasks at a time. */
export async function forEachConcurrently<T>(
  items: T[],
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      await task(item);
    }
  });
  await Promise.all(workers);
}

/** Row count and an md5 of every row of each table in the schema, to show nothing changed. */
export async function tableChecksums(
  databaseUrl: string,
  schema: string,
): Promise<Record<string, string>> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
      [schema],
    );
    const checksums: Record<string, string> = {};
    for (const { table_name: table } of tables.rows) {
      const name = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(table)}`;
      const result = await client.query<{ rows: string; digest: string | null }>(
        `SELECT count(*)::text AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
           FROM ${name} t`,
      );
      checksums[table] = `${result.rows[0].rows} rows, md5 ${result.rows[0].digest ?? '-'}`;
    }

    return checksums;
  } finally {
    await client.end();
  }
}

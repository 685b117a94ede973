import { connect } from 'node:net';

import * as fc from 'fast-check';

import {
  CredentialAction,
  CredentialType,
  DisableReason,
  VipPattern,
  VipPatternName,
} from '@app/contract';

import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import { CodeSource, provisionCredential } from '../support/auth-service';
import {
  BadBody,
  FUZZ_SEED,
  FieldSpec,
  KeepAliveClient,
  RawResponse,
  anyJson,
  badBodies,
  badPayloads,
  forEachConcurrently,
  generate,
  tableChecksums,
  validationProblem,
  wrongValue,
} from '../support/fuzz';

const SCHEMA = 'vip';

function credentialIdField(valid: string): FieldSpec {
  return { name: 'credentialId', type: 'string', required: true, formatted: true, valid };
}

function codeField(name: string, required = true): FieldSpec {
  return { name, type: 'string', required, formatted: true, valid: '123456' };
}

function vipUserIdField(valid: string): FieldSpec {
  return { name: 'vipUserId', type: 'string', required: true, maxLength: 64, valid };
}

const requestIdField: FieldSpec = {
  name: 'requestId',
  type: 'string',
  required: false,
  maxLength: 128,
  valid: 'fuzz-request',
};

const typeField: FieldSpec = {
  name: 'type',
  type: 'enum',
  required: true,
  values: Object.values(CredentialType),
  valid: CredentialType.Mobile,
};

const actionField: FieldSpec = {
  name: 'action',
  type: 'enum',
  required: true,
  values: Object.values(CredentialAction),
  valid: CredentialAction.Enable,
};

const reasonField: FieldSpec = {
  name: 'reason',
  type: 'enum',
  required: false,
  values: Object.values(DisableReason),
  valid: DisableReason.Lost,
};

function temporaryCodeFields(): FieldSpec[] {
  return [
    codeField('code', false),
    {
      name: 'expiresInSeconds',
      type: 'integer',
      required: false,
      min: 60,
      max: 30 * 24 * 60 * 60,
      valid: 3600,
    },
    { name: 'oneTime', type: 'boolean', required: false, valid: true },
  ];
}

interface HttpEndpoint {
  method: 'POST' | 'PUT';
  path: string;
  fields: FieldSpec[];
}

interface TcpPattern {
  pattern: VipPatternName;
  fields: FieldSpec[];
}

function describeBody(body: BadBody, response: RawResponse): string {
  return (
    `${body.label}, FUZZ_SEED=${FUZZ_SEED}: status ${response.status} for ` +
    `${JSON.stringify(body.text.slice(0, 300))}: ${response.text.slice(0, 300)}`
  );
}

/**
 * Writes NestJS TCP frames (`<length>#<json>`) on a new connection and returns
 * the replies that arrive within `waitMs`, parsed from the same framing.
 */
function sendRawFrames(port: number, frames: string[], waitMs = 1000): Promise<unknown[]> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const replies: unknown[] = [];
    let buffered = '';
    const finish = () => {
      socket.destroy();
      resolve(replies);
    };
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      for (const frame of frames) {
        socket.write(`${Buffer.byteLength(frame)}#${frame}`);
      }
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (;;) {
        const hash = buffered.indexOf('#');
        const length = Number(buffered.slice(0, hash));
        if (hash < 0 || buffered.length < hash + 1 + length) {
          break;
        }
        replies.push(JSON.parse(buffered.slice(hash + 1, hash + 1 + length)));
        buffered = buffered.slice(hash + 1 + length);
      }
      if (replies.length >= frames.length) {
        finish();
      }
    });
    socket.on('error', finish);
    socket.on('close', finish);
    setTimeout(finish, waitMs);
  });
}

describe('simulator under fuzzed input', () => {
  let simulator: TestSimulator;
  let client: KeepAliveClient;
  let credential: CodeSource;
  let vipUserId: string;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    client = new KeepAliveClient(simulator.httpUrl);
    credential = await provisionCredential(simulator);
    vipUserId = `fuzz-user-${Date.now()}`;
    const created = await simulator.send(VipPattern.CreateUser, { vipUserId });
    expect(created.ok).toBe(true);
  });

  afterAll(async () => {
    client?.close();
    await simulator?.stop();
  });

  it('rejects every bad HTTP body with 400 and changes nothing', async () => {
    const credentialId = credential.credentialId;
    const endpoints: HttpEndpoint[] = [
      { method: 'POST', path: '/api/v1/credentials', fields: [typeField] },
      {
        method: 'POST',
        path: '/api/v1/credentials/import',
        fields: [
          credentialIdField('VSMT12345678'),
          {
            name: 'secret',
            type: 'string',
            required: true,
            formatted: true,
            valid: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
          },
        ],
      },
      {
        method: 'POST',
        path: `/api/v1/credentials/${credentialId}/state`,
        fields: [actionField, reasonField],
      },
      {
        method: 'POST',
        path: `/api/v1/credentials/${credentialId}/sync`,
        fields: [codeField('code1'), codeField('code2')],
      },
      { method: 'POST', path: '/api/v1/users', fields: [vipUserIdField('fuzz.new.user')] },
      {
        method: 'POST',
        path: `/api/v1/users/${vipUserId}/bindings`,
        fields: [credentialIdField(credentialId), codeField('code')],
      },
      {
        method: 'POST',
        path: `/api/v1/users/${vipUserId}/authenticate`,
        fields: [codeField('code')],
      },
      {
        method: 'PUT',
        path: `/api/v1/users/${vipUserId}/temporary-code`,
        fields: temporaryCodeFields(),
      },
    ];

    for (const endpoint of endpoints) {
      const before = await tableChecksums(simulator.databaseUrl, SCHEMA);
      const failures: string[] = [];
      const bodies = generate(badBodies(endpoint.fields), `${endpoint.method} ${endpoint.path}`);

      await forEachConcurrently(bodies, 8, async (body) => {
        const response = await client.send(
          endpoint.method,
          endpoint.path,
          { 'content-type': body.contentType },
          body.text,
        );
        const problem = validationProblem(response, body.contentType);
        if (problem !== null) {
          failures.push(`${endpoint.path}: ${problem} (${describeBody(body, response)})`);
        }
      });

      expect(failures.slice(0, 5)).toEqual([]);
      expect(bodies.length).toBeGreaterThanOrEqual(1000);
      expect(await tableChecksums(simulator.databaseUrl, SCHEMA)).toEqual(before);
    }
  });

  it('answers bad VIP Manager forms with a page, never 5xx', async () => {
    const credentialId = credential.credentialId;
    // The pages ignore unknown form fields, so each body carries an invalid
    // value in the field that decides the action, and the rest is junk.
    const junk = fc.dictionary(fc.string({ maxLength: 12 }), anyJson, { maxKeys: 3 });
    const forms: Array<{ path: string; bodies: fc.Arbitrary<Record<string, unknown>> }> = [
      {
        path: `/manager/credentials/${credentialId}/state`,
        bodies: fc
          .tuple(fc.option(wrongValue(actionField), { nil: undefined }), junk)
          .map(([action, rest]) => ({ ...rest, action })),
      },
      {
        path: `/manager/users/${vipUserId}/temporary-code`,
        // A falsy code means "generate one", which is valid, so only truthy wrong codes.
        bodies: fc
          .tuple(wrongValue(codeField('code')).filter(Boolean), junk)
          .map(([code, rest]) => ({ ...rest, code })),
      },
    ];

    // Every form post needs the CSRF token from a page's hidden field.
    const page = await client.send('GET', `/manager/users?vipUserId=${vipUserId}`, {});
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrfToken).toBeDefined();

    for (const form of forms) {
      const before = await tableChecksums(simulator.databaseUrl, SCHEMA);
      const failures: string[] = [];
      const bodies = generate(form.bodies, form.path);

      await forEachConcurrently(bodies, 8, async (body) => {
        const text = JSON.stringify({ ...body, _csrf: csrfToken });
        const response = await client.send(
          'POST',
          form.path,
          { 'content-type': 'application/json' },
          text,
        );
        const isPage =
          response.status === 200 && String(response.headers['content-type']).includes('html');
        if (!isPage && response.status !== 400) {
          failures.push(`${form.path}: status ${response.status} for ${text.slice(0, 300)}`);
        }
      });

      expect(failures.slice(0, 5)).toEqual([]);
      expect(bodies.length).toBeGreaterThanOrEqual(1000);
      expect(await tableChecksums(simulator.databaseUrl, SCHEMA)).toEqual(before);
    }
  });

  it('answers raw TCP frames without an object with 6001', async () => {
    const pattern = { cmd: VipPattern.GetUser };
    const frames = [
      JSON.stringify({ pattern, data: null, id: 'null-data' }),
      JSON.stringify({ pattern, id: 'missing-data' }),
      JSON.stringify({ pattern, data: [{ vipUserId }], id: 'array-data' }),
      JSON.stringify({ pattern, data: 'text', id: 'string-data' }),
    ];

    const replies = (await sendRawFrames(simulator.tcpPort, frames)) as Array<{
      id: string;
      err?: { status?: string };
    }>;

    expect(replies.map((reply) => [reply.id, reply.err?.status])).toEqual([
      ['null-data', '6001'],
      ['missing-data', '6001'],
      ['array-data', '6001'],
      ['string-data', '6001'],
    ]);
  });

  it('survives a malformed TCP frame', async () => {
    await sendRawFrames(simulator.tcpPort, ['{"pattern": nope', '\u0000\u0001'], 300);
    const ping = await simulator.send(VipPattern.Ping, {});

    expect(ping.ok).toBe(true);
  });

  it('answers every bad TCP payload with VIP status 6001', async () => {
    const credentialId = credential.credentialId;
    const user = vipUserIdField(vipUserId);
    const patterns: TcpPattern[] = [
      { pattern: VipPattern.Ping, fields: [requestIdField] },
      { pattern: VipPattern.ProvisionCredential, fields: [typeField, requestIdField] },
      {
        pattern: VipPattern.ImportCredential,
        fields: [
          credentialIdField('VSMT12345678'),
          {
            name: 'secret',
            type: 'string',
            required: true,
            formatted: true,
            valid: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
          },
        ],
      },
      { pattern: VipPattern.GetCredential, fields: [credentialIdField(credentialId)] },
      {
        pattern: VipPattern.GetCurrentCode,
        fields: [
          credentialIdField(credentialId),
          { name: 'at', type: 'string', required: false, valid: '2026-01-01T00:00:00Z' },
        ],
      },
      {
        pattern: VipPattern.ChangeCredentialState,
        fields: [credentialIdField(credentialId), actionField, reasonField],
      },
      {
        pattern: VipPattern.SynchronizeCredential,
        fields: [credentialIdField(credentialId), codeField('code1'), codeField('code2')],
      },
      { pattern: VipPattern.CreateUser, fields: [vipUserIdField('fuzz.tcp.user')] },
      { pattern: VipPattern.GetUser, fields: [user] },
      {
        pattern: VipPattern.BindCredential,
        fields: [user, credentialIdField(credentialId), codeField('code')],
      },
      { pattern: VipPattern.UnbindCredential, fields: [user, credentialIdField(credentialId)] },
      { pattern: VipPattern.Authenticate, fields: [user, codeField('code')] },
      { pattern: VipPattern.SetTemporaryCode, fields: [user, ...temporaryCodeFields()] },
      { pattern: VipPattern.ClearTemporaryCode, fields: [user] },
      {
        pattern: VipPattern.UsageReport,
        fields: ['from', 'to'].map((name) => ({
          name,
          type: 'string' as const,
          required: true,
          formatted: true,
          valid: '2026-01-01',
        })),
      },
    ];

    for (const { pattern, fields } of patterns) {
      const before = await tableChecksums(simulator.databaseUrl, SCHEMA);
      const failures: string[] = [];
      const payloads = generate(badPayloads(fields), pattern);

      await forEachConcurrently(payloads, 16, async (payload) => {
        const result = await simulator.send(pattern, payload as object);
        const status = result.ok ? 'success' : result.error?.status;
        if (status !== '6001' || result.ok || typeof result.error.message !== 'string') {
          failures.push(
            `${pattern} (FUZZ_SEED=${FUZZ_SEED}): ${JSON.stringify(result).slice(0, 300)} ` +
              `for ${JSON.stringify(payload)?.slice(0, 300)}`,
          );
        }
      });

      expect(failures.slice(0, 5)).toEqual([]);
      expect(payloads.length).toBeGreaterThanOrEqual(1000);
      expect(await tableChecksums(simulator.databaseUrl, SCHEMA)).toEqual(before);
    }
  });
});

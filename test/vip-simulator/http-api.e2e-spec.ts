import request from 'supertest';

import { callApi } from '../../scripts/vip-cli/http-client';
import { UsageError, planCommand } from '../../scripts/vip-cli/commands';
import { findFreePort } from '@app/database';

import {
  codeAtOffset,
  createBoundUser,
  getCredential,
  provisionCredential,
  uniqueUserId,
  waitForStepMargin,
} from '../support/vip-fixtures';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';

describe('VIP simulator HTTP API', () => {
  let simulator: TestSimulator;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    simulator = await startTestSimulator();
    http = request(simulator.httpUrl);
  });

  afterAll(async () => {
    await simulator?.stop();
  });

  it('answers ping and echoes a safe request id', async () => {
    const response = await http.get('/api/v1/ping').set('x-request-id', 'test-req-1');

    expect(response.status).toBe(200);
    expect(response.body.status).toBe('0000');
    expect(response.headers['x-request-id']).toBe('test-req-1');
  });

  it('rejects a deeply nested body with 400', async () => {
    const response = await http
      .post('/api/v1/users/someone/authenticate')
      .set('content-type', 'application/json')
      .send(`{"code":"123456","z":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`);

    expect(response.status).toBe(400);
    expect(response.body.message).toBe('z must not be nested more than 32 levels deep');
  });

  it('replaces an unsafe request id with a UUID', async () => {
    const response = await http.get('/api/v1/ping').set('x-request-id', 'bad id <x>');

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('provisions a credential with 201 and the VIP reply', async () => {
    const response = await http.post('/api/v1/credentials').send({ type: 'DESKTOP' });

    expect(response.status).toBe(201);
    expect(response.body.status).toBe('0000');
    expect(response.body.data.credentialId).toMatch(/^SYDC\d{8}$/);
  });

  it('rejects an invalid field with 400 VALIDATION_FAILED naming it', async () => {
    const response = await http.post('/api/v1/credentials').send({ type: 'PHONE' });

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
    expect(response.body.message).toContain('type must be one of');
    expect(typeof response.body.requestId).toBe('string');
  });

  it.each([
    ['an unknown field', { type: 'MOBILE', role: 'admin' }],
    ['an array', [{ type: 'MOBILE' }]],
    ['null', null],
  ])('rejects a body with %s with 400', async (_, body) => {
    const response = await http
      .post('/api/v1/credentials')
      .set('content-type', 'application/json')
      .send(JSON.stringify(body));

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it.each(['__proto__', 'constructor'])('rejects the key %s in a body with 400', async (key) => {
    const response = await http
      .post('/api/v1/credentials')
      .set('content-type', 'application/json')
      .send(`{"type":"MOBILE","${key}":{"admin":true}}`);

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it.each([
    ['malformed JSON', '{"type":'],
    ['a bare string', '"MOBILE"'],
  ])('rejects %s with 400', async (_, raw) => {
    const response = await http
      .post('/api/v1/credentials')
      .set('content-type', 'application/json')
      .send(raw);

    expect(response.status).toBe(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('rejects a body over 64 kB with 413', async () => {
    const response = await http
      .post('/api/v1/credentials')
      .send({ type: 'MOBILE', padding: 'x'.repeat(70_000) });

    expect(response.status).toBe(413);
    expect(response.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('unknown credential is 404 with 6004', async () => {
    const response = await http.get('/api/v1/credentials/SYMC12121212');

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', status: '6004' });
  });

  it('malformed path credential ID is 400', async () => {
    const response = await http.get('/api/v1/credentials/not-an-id');

    expect(response.status).toBe(400);
  });

  it('replay over HTTP is 401 with 49B6', async () => {
    const { vipUserId, credential } = await createBoundUser(simulator);
    const code = codeAtOffset(credential, 1);
    const first = await http.post(`/api/v1/users/${vipUserId}/authenticate`).send({ code });
    const second = await http.post(`/api/v1/users/${vipUserId}/authenticate`).send({ code });

    expect(first.status).toBe(200);
    expect(first.body.data.credentialId).toBe(credential.credentialId);
    expect(second.status).toBe(401);
    expect(second.body).toMatchObject({ code: 'SECURITY_CODE_REPLAYED', status: '49B6' });
  });

  it('runs the user operations end to end over HTTP', async () => {
    await waitForStepMargin();
    const vipUserId = uniqueUserId('http');
    const created = await http.post('/api/v1/users').send({ vipUserId });
    const duplicate = await http.post('/api/v1/users').send({ vipUserId });
    const credential = await provisionCredential(simulator);
    const bind = await http
      .post(`/api/v1/users/${vipUserId}/bindings`)
      .send({ credentialId: credential.credentialId, code: codeAtOffset(credential, 0) });
    const setCode = await http
      .put(`/api/v1/users/${vipUserId}/temporary-code`)
      .send({ code: '135790', oneTime: true });
    const user = await http.get(`/api/v1/users/${vipUserId}`);
    const withTemporary = await http
      .post(`/api/v1/users/${vipUserId}/authenticate`)
      .send({ code: '135790' });
    const cleared = await http.delete(`/api/v1/users/${vipUserId}/temporary-code`);
    const unbind = await http.delete(
      `/api/v1/users/${vipUserId}/bindings/${credential.credentialId}`,
    );

    expect(created.status).toBe(201);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.status).toBe('6002');
    expect(bind.status).toBe(201);
    expect(bind.body.data.credential.state).toBe('ENABLED');
    expect(setCode.status).toBe(200);
    expect(user.body.data.credentials).toHaveLength(1);
    expect(user.body.data.temporaryCode.oneTime).toBe(true);
    expect(withTemporary.body.data.usedTemporaryCode).toBe(true);
    expect(cleared.body.data.cleared).toBe(false);
    expect(unbind.status).toBe(200);
    expect(unbind.body.data.credentials).toHaveLength(0);
  });

  it('imports and resynchronises a credential over HTTP', async () => {
    await waitForStepMargin();
    const { vipUserId, credential } = await createBoundUser(simulator);
    const sync = await http
      .post(`/api/v1/credentials/${credential.credentialId}/sync`)
      .send({ code1: codeAtOffset(credential, 5), code2: codeAtOffset(credential, 6) });
    const imported = await http
      .post('/api/v1/credentials/import')
      .send({ credentialId: 'VSST00000042', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' });

    expect(sync.status).toBe(200);
    expect(sync.body.data.boundUserIds).toEqual([vipUserId]);
    expect(imported.status).toBe(201);
    expect(imported.body.data.type).toBe('DESKTOP');
  });

  it('refused state change is 409 with 6013', async () => {
    const created = await http.post('/api/v1/credentials').send({ type: 'MOBILE' });
    const response = await http
      .post(`/api/v1/credentials/${created.body.data.credentialId}/state`)
      .send({ action: 'UNLOCK' });

    expect(response.status).toBe(409);
    expect(response.body.status).toBe('6013');
  });

  it('reports usage per day, type and outcome', async () => {
    const today = new Date().toISOString().slice(0, 10);
    await createBoundUser(simulator);
    const response = await http.get(`/api/v1/reports/usage?from=${today}&to=${today}`);

    expect(response.status).toBe(200);
    expect(response.body.data.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ day: today, credentialType: 'MOBILE', outcome: 'SUCCESS' }),
      ]),
    );
  });

  it('rejects a report range that ends before it starts', async () => {
    const response = await http.get('/api/v1/reports/usage?from=2026-02-02&to=2026-02-01');

    expect(response.status).toBe(400);
    expect(response.body.status).toBe('6001');
  });

  it('serves health and OpenAPI', async () => {
    expect((await http.get('/health/live')).status).toBe(200);
    expect((await http.get('/health/ready')).status).toBe(200);
    expect((await http.get('/docs-json')).body.paths).toHaveProperty('/api/v1/credentials');
  });

  describe('VIP Manager pages', () => {
    it('escapes a looked-up value in the page', async () => {
      const response = await http.get('/manager/credentials').query({
        credentialId: '<script>alert(1)</script>',
      });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.text).not.toContain('<script>alert(1)</script>');
      expect(response.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    });

    it('shows a credential with its state and allowed actions', async () => {
      const { credential } = await createBoundUser(simulator);
      const response = await http
        .get('/manager/credentials')
        .query({ credentialId: credential.credentialId });

      expect(response.text).toContain('ENABLED');
      expect(response.text).toContain('value="DISABLE"');
      expect(response.text).not.toContain('value="UNLOCK"');
    });

    /** Reads the CSRF token from the hidden field of a page's forms. */
    async function csrfTokenOf(path: string, query: object): Promise<string> {
      const page = await http.get(path).query(query).expect(200);
      const match = /name="_csrf" value="([^"]+)"/.exec(page.text);
      if (!match) {
        throw new Error(`No CSRF field on ${path}`);
      }

      return match[1];
    }

    it('disables a credential from a form post', async () => {
      const { credential } = await createBoundUser(simulator);
      const _csrf = await csrfTokenOf('/manager/credentials', {
        credentialId: credential.credentialId,
      });
      const response = await http
        .post(`/manager/credentials/${credential.credentialId}/state`)
        .set('origin', simulator.httpUrl)
        .type('form')
        .send({ action: 'DISABLE', reason: 'LOST', _csrf });

      expect(response.status).toBe(200);
      expect(response.text).toContain('DISABLE done: state is DISABLED');
    });

    it('rejects a form post without the CSRF token', async () => {
      const { credential } = await createBoundUser(simulator);
      const response = await http
        .post(`/manager/credentials/${credential.credentialId}/state`)
        .type('form')
        .send({ action: 'DEACTIVATE' });

      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
      expect(response.body.message).toContain('_csrf');
      expect((await getCredential(simulator, credential.credentialId)).state).toBe('ENABLED');
    });

    it('rejects a form post from another origin', async () => {
      const { credential } = await createBoundUser(simulator);
      const _csrf = await csrfTokenOf('/manager/credentials', {
        credentialId: credential.credentialId,
      });
      const fromOrigin = await http
        .post(`/manager/credentials/${credential.credentialId}/state`)
        .set('origin', 'https://attacker.example')
        .type('form')
        .send({ action: 'DEACTIVATE', _csrf });
      const fromReferer = await http
        .post(`/manager/credentials/${credential.credentialId}/state`)
        .set('referer', 'https://attacker.example/page')
        .type('form')
        .send({ action: 'DEACTIVATE', _csrf });

      expect(fromOrigin.status).toBe(403);
      expect(fromOrigin.body.message).toContain('attacker.example');
      expect(fromReferer.status).toBe(403);
      expect((await getCredential(simulator, credential.credentialId)).state).toBe('ENABLED');
    });

    it('rejects a form post to the JSON API with 415', async () => {
      const { credential } = await createBoundUser(simulator);
      const response = await http
        .post(`/api/v1/credentials/${credential.credentialId}/state`)
        .type('form')
        .send({ action: 'DEACTIVATE' });

      expect(response.status).toBe(415);
      expect(response.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect((await getCredential(simulator, credential.credentialId)).state).toBe('ENABLED');
    });

    it('form sets a temporary code once', async () => {
      const { vipUserId } = await createBoundUser(simulator);
      const _csrf = await csrfTokenOf('/manager/users', { vipUserId });
      const response = await http
        .post(`/manager/users/${vipUserId}/temporary-code`)
        .set('referer', `${simulator.httpUrl}/manager/users?vipUserId=${vipUserId}`)
        .type('form')
        .send({ code: '246810', expiresInSeconds: '3600', oneTime: 'on', _csrf });

      expect(response.text).toContain('Temporary security code 246810 set');
      const page = await http.get('/manager/users').query({ vipUserId });
      expect(page.text).not.toContain('246810');
      expect(page.text).toContain('one-time');
    });

    it('shows the usage report page', async () => {
      const response = await http.get('/manager/reports');

      expect(response.status).toBe(200);
      expect(response.text).toContain('Usage report');
    });
  });

  describe('tester CLI', () => {
    it('issues a credential and prints its code', async () => {
      const issue = planCommand('issue', [], { type: 'hardware' });
      const issued = await callApi(simulator.httpUrl, issue.method, issue.path, issue.body);
      if (issued.kind !== 'ok') {
        throw new Error(`issue failed: ${JSON.stringify(issued)}`);
      }
      const credentialId = (issued.data as { credentialId: string }).credentialId;
      const code = planCommand('code', [credentialId], {});
      const result = await callApi(simulator.httpUrl, code.method, code.path);

      expect(credentialId).toMatch(/^SYHW\d{8}$/);
      expect(result.kind).toBe('ok');
      expect(code.describe((result as { data: Record<string, unknown> }).data)[0]).toMatch(
        /^\d{6} {2}\(valid /,
      );
    });

    it('reports a refusal as a VIP error', async () => {
      const state = planCommand('state', ['SYMC31313131'], {});
      const result = await callApi(simulator.httpUrl, state.method, state.path);

      expect(result.kind).toBe('vip-error');
      expect(result.kind === 'vip-error' && result.body.status).toBe('6004');
    });

    it('reports a closed port as unreachable', async () => {
      const result = await callApi(`http://127.0.0.1:${await findFreePort()}`, 'GET', '/');

      expect(result.kind).toBe('unreachable');
    });

    it.each([
      ['no command', undefined, []],
      ['an unknown command', 'explode', []],
      ['code without an ID', 'code', []],
      ['an unknown action', 'state', ['SYMC12345678', 'FREEZE']],
    ])('rejects %s as a usage error', (_, command, args) => {
      expect(() => planCommand(command, args, {})).toThrow(UsageError);
    });

    it('requires a reason for DISABLE', () => {
      expect(() => planCommand('state', ['SYMC12345678', 'disable'], {})).toThrow('--reason');
    });
  });
});

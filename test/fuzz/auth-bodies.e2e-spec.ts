import { MAX_LOCKOUT_THRESHOLD } from '../../apps/auth-service/src/admin/dto/admin-requests.dto';
import { TestSimulator, startTestSimulator } from '../support/vip-simulator';
import {
  TEST_OPERATOR_KEY,
  TEST_PASSWORD,
  TEST_PIN,
  TEST_SERVICE_KEY,
  TestAuthService,
  TestInstitution,
  bearer,
  createInstitution,
  createUser,
  loginForChallenge,
  startTestAuthService,
} from '../support/auth-service';
import {
  BadBody,
  FUZZ_SEED,
  FieldSpec,
  KeepAliveClient,
  badBodies,
  forEachConcurrently,
  generate,
  validationProblem,
  tableChecksums,
} from '../support/fuzz';

interface Endpoint {
  method: 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  fields: FieldSpec[];
}

const TOKEN = 'A'.repeat(43);

function endpoints(institution: TestInstitution, userId: string, token: string): Endpoint[] {
  const admin = bearer(institution.admin.sessionToken);
  const operator = { 'x-operator-key': TEST_OPERATOR_KEY };
  const challengeToken: FieldSpec = {
    name: 'challengeToken',
    type: 'string',
    required: true,
    formatted: true,
    valid: token,
  };
  const securityCode: FieldSpec = {
    name: 'securityCode',
    type: 'string',
    required: true,
    formatted: true,
    valid: '123456',
  };
  const pin: FieldSpec = {
    name: 'pin',
    type: 'string',
    required: true,
    formatted: true,
    valid: TEST_PIN,
  };
  const password: FieldSpec = {
    name: 'password',
    type: 'string',
    required: true,
    maxLength: 72,
    valid: TEST_PASSWORD,
  };
  const username: FieldSpec = {
    name: 'username',
    type: 'string',
    required: true,
    maxLength: 256,
    valid: 'fuzz.user',
  };

  return [
    { method: 'POST', path: '/api/v1/auth/login', headers: {}, fields: [username, password] },
    {
      method: 'POST',
      path: '/api/v1/auth/register',
      headers: {},
      fields: [
        challengeToken,
        {
          name: 'credentialId',
          type: 'string',
          required: true,
          formatted: true,
          valid: 'SYMC12345678',
        },
        securityCode,
        pin,
      ],
    },
    {
      method: 'POST',
      path: '/api/v1/auth/step-up',
      headers: {},
      fields: [challengeToken, securityCode, pin],
    },
    {
      method: 'POST',
      path: '/api/v1/auth/introspect',
      headers: { 'x-service-key': TEST_SERVICE_KEY },
      fields: [{ name: 'token', type: 'string', required: true, maxLength: 512, valid: TOKEN }],
    },
    {
      method: 'POST',
      path: '/api/v1/admin/users',
      headers: admin,
      fields: [
        { ...username, maxLength: 64, valid: 'fuzz.created' },
        { ...password, valid: 'another-long-password-1' },
        { name: 'role', type: 'enum', required: true, values: ['USER', 'ADMIN'], valid: 'USER' },
      ],
    },
    {
      method: 'PUT',
      path: '/api/v1/admin/secure-token',
      headers: admin,
      fields: [
        { name: 'enabled', type: 'boolean', required: true, valid: true },
        {
          name: 'lockoutThreshold',
          type: 'integer',
          required: false,
          min: 1,
          max: MAX_LOCKOUT_THRESHOLD,
          valid: 3,
        },
      ],
    },
    {
      method: 'POST',
      path: `/api/v1/admin/users/${userId}/unlock`,
      headers: admin,
      fields: [{ name: 'resetRegistration', type: 'boolean', required: false, valid: false }],
    },
    {
      method: 'POST',
      path: '/api/v1/operator/institutions',
      headers: operator,
      fields: [
        { name: 'name', type: 'string', required: true, maxLength: 200, valid: 'Fuzz Bank' },
        { ...username, name: 'adminUsername', maxLength: 64, valid: 'fuzz.admin' },
        { ...password, name: 'adminPassword' },
      ],
    },
    {
      method: 'POST',
      path: `/api/v1/operator/institutions/${institution.id}/secure-token/provision`,
      headers: operator,
      fields: [
        {
          name: 'supportCaseReference',
          type: 'string',
          required: true,
          maxLength: 100,
          valid: 'CASE-1',
        },
      ],
    },
  ];
}

/** Describes one failed expectation with what is needed to repeat it. */
function failure(endpoint: Endpoint, body: BadBody, status: number, text: string): string {
  return (
    `${endpoint.method} ${endpoint.path} (${body.label}, FUZZ_SEED=${FUZZ_SEED}): ` +
    `status ${status} for body ${JSON.stringify(body.text.slice(0, 300))}: ${text.slice(0, 300)}`
  );
}

describe('auth service under fuzzed bodies', () => {
  let simulator: TestSimulator;
  let service: TestAuthService;
  let client: KeepAliveClient;
  let cases: Endpoint[];

  beforeAll(async () => {
    simulator = await startTestSimulator();
    service = await startTestAuthService({ simulator });
    const institution = await createInstitution(service);
    const user = await createUser(service, institution);
    cases = endpoints(institution, user.id, await loginForChallenge(service, user));
    client = new KeepAliveClient(service.httpUrl);
  });

  afterAll(async () => {
    client?.close();
    await service?.stop();
    await simulator?.stop();
  });

  it('rejects every bad body with 400 and changes nothing', async () => {
    for (const endpoint of cases) {
      const before = await tableChecksums(service.databaseUrl, 'auth');
      const failures: string[] = [];
      const bodies = generate(badBodies(endpoint.fields), `${endpoint.method} ${endpoint.path}`);

      await forEachConcurrently(bodies, 8, async (body) => {
        const response = await client.send(
          endpoint.method,
          endpoint.path,
          { ...endpoint.headers, 'content-type': body.contentType },
          body.text,
        );
        const problem = validationProblem(response, body.contentType);
        if (problem !== null) {
          failures.push(`${problem}: ${failure(endpoint, body, response.status, response.text)}`);
        }
      });

      expect(failures.slice(0, 5)).toEqual([]);
      expect(bodies.length).toBeGreaterThanOrEqual(1000);
      expect(await tableChecksums(service.databaseUrl, 'auth')).toEqual(before);
    }
  });
});

export const DEMO_INSTITUTION = 'Demo Bank';
export const DEMO_SUPPORT_CASE = 'CASE-DEMO-0001';
export const DEMO_LOGINS = [
  { username: 'demo.admin', password: 'Demo-Admin-Pass-1', role: 'ADMIN' },
  { username: 'demo.alice', password: 'Demo-Alice-Pass-1', role: 'USER' },
  { username: 'demo.bob', password: 'Demo-Bob-Pass-11', role: 'USER' },
] as const;

interface JsonResponse {
  status: number;
  body: Record<string, unknown>;
}

async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<JsonResponse> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();

  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

function expectStatus(response: JsonResponse, expected: number, step: string): void {
  if (response.status !== expected) {
    throw new Error(
      `Demo seed failed at "${step}": HTTP ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

/**
 * Creates the demo institution through the public API unless it exists:
 * secure tokens provisioned and enabled, one administrator, two users.
 * Returns false when the institution was already there.
 */
export async function seedDemoInstitution(baseUrl: string, operatorKey: string): Promise<boolean> {
  const operator = { 'x-operator-key': operatorKey };
  const list = await callApi(baseUrl, 'GET', '/operator/institutions', operator);
  expectStatus(list, 200, 'list institutions');
  const items = (Array.isArray(list.body) ? list.body : (list.body.items ?? [])) as Array<{
    name: string;
  }>;
  if (items.some((institution) => institution.name === DEMO_INSTITUTION)) {
    return false;
  }

  const [admin, ...users] = DEMO_LOGINS;
  const created = await callApi(baseUrl, 'POST', '/operator/institutions', operator, {
    name: DEMO_INSTITUTION,
    adminUsername: admin.username,
    adminPassword: admin.password,
  });
  expectStatus(created, 201, 'create institution');
  const institution = (created.body.institution ?? created.body) as { id: string };

  const provisioned = await callApi(
    baseUrl,
    'POST',
    `/operator/institutions/${institution.id}/secure-token/provision`,
    operator,
    { supportCaseReference: DEMO_SUPPORT_CASE },
  );
  expectStatus(provisioned, 201, 'provision secure tokens');

  const login = await callApi(
    baseUrl,
    'POST',
    '/auth/login',
    {},
    {
      username: admin.username,
      password: admin.password,
    },
  );
  expectStatus(login, 200, 'administrator login');
  const session = { authorization: `Bearer ${String(login.body.sessionToken)}` };
  for (const user of users) {
    const createdUser = await callApi(baseUrl, 'POST', '/admin/users', session, user);
    expectStatus(createdUser, 201, `create user ${user.username}`);
  }
  const enabled = await callApi(baseUrl, 'PUT', '/admin/secure-token', session, { enabled: true });
  expectStatus(enabled, 200, 'enable secure tokens');
  await callApi(baseUrl, 'POST', '/auth/logout', session);

  return true;
}

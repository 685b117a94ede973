import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { OPENAPI_TARGETS, serializeOpenApi } from '../scripts/openapi/documents';

const ROOT = resolve(__dirname, '..');

describe('committed OpenAPI documents', () => {
  it.each(OPENAPI_TARGETS.map((target) => [target.file, target] as const))(
    '%s matches the code',
    async (file, target) => {
      const committed = await readFile(resolve(ROOT, file), 'utf8').catch(() => '(missing)');
      const generated = serializeOpenApi(await target.build());

      // On failure, run `npm run openapi` and commit the result.
      expect(committed).toBe(generated);
    },
  );

  it('every operation but the probes documents errors', async () => {
    const unprotectedProbes = ['/health/live', '/health/ready', '/api/v1/ping'];
    for (const target of OPENAPI_TARGETS) {
      const document = await target.build();
      const operations = Object.entries(document.paths)
        .filter(([path]) => !unprotectedProbes.includes(path))
        .flatMap(([path, item]) =>
          Object.entries(item).map(([method, operation]) => ({
            path,
            method,
            statuses: Object.keys((operation as { responses?: object }).responses ?? {}),
          })),
        );
      for (const { path, method, statuses } of operations) {
        const errorStatuses = statuses.filter((status) => Number(status) >= 400);
        expect({ path, method, errorStatuses }).not.toEqual({ path, method, errorStatuses: [] });
      }
    }
  });
});

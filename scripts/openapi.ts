import 'reflect-metadata';

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { OPENAPI_TARGETS, serializeOpenApi } from './openapi/documents';

/** Writes the OpenAPI JSON of both services under docs/openapi/, from the current code. */
async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..');
  for (const target of OPENAPI_TARGETS) {
    const path = resolve(root, target.file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, serializeOpenApi(await target.build()));
    console.log(`Wrote ${target.file}`);
  }
}

main().catch((error: unknown) => {
  console.error(`OpenAPI generation failed: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});

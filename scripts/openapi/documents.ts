import { OpenAPIObject } from '@nestjs/swagger';

import { buildAuthOpenApiDocument } from '../../apps/auth-service/src/openapi';
import { buildSimulatorOpenApiDocument } from '../../apps/vip-simulator/src/openapi';

/** An OpenAPI document committed under docs/openapi/, and how to generate it. */
export interface OpenApiTarget {
  /** Path relative to the repository root. */
  file: string;
  build(): Promise<OpenAPIObject>;
}

export const OPENAPI_TARGETS: OpenApiTarget[] = [
  { file: 'docs/openapi/auth-service.json', build: buildAuthOpenApiDocument },
  { file: 'docs/openapi/vip-simulator.json', build: buildSimulatorOpenApiDocument },
];

/** Serialises a document the way it is committed: 2-space JSON and a final newline. */
export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** OpenAPI schema of the one error body that both services return. */
export class HttpErrorResponse {
  @ApiProperty({ example: 400, description: 'The HTTP status code, repeated' })
  statusCode: number;

  @ApiProperty({
    example: 'VALIDATION_FAILED',
    description: 'Stable error code; the response description lists the codes of each status',
  })
  code: string;

  @ApiProperty({ example: 'username must be a string', description: 'Text for a person' })
  message: string;

  @ApiProperty({
    example: '5b0d3c38-1f1e-4c55-9c3e-6bb2c1a9e1a0',
    description: 'The x-request-id of the request, also found in the logs',
  })
  requestId: string;
}

/** Error codes that a route may return, by HTTP status. */
export type ErrorCodesByStatus = Partial<Record<number, readonly string[]>>;

/**
 * Documents error responses: one OpenAPI response per status, with the one
 * error schema and the stable codes listed in its description.
 */
export function ApiErrorResponses(
  responses: ErrorCodesByStatus,
  type: new () => HttpErrorResponse = HttpErrorResponse,
): MethodDecorator & ClassDecorator {
  const decorators = Object.entries(responses).map(([status, codes]) =>
    ApiResponse({
      status: Number(status),
      description: `Error; code is one of: ${(codes ?? []).join(', ')}`,
      type,
    }),
  );

  return applyDecorators(...decorators);
}

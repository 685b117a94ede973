import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { ApiErrorResponses, ErrorCodesByStatus, HttpErrorResponse } from '@app/common';
import { VipStatus } from '@app/contract';

import { httpMappingForVipStatus } from './http-status.mapper';
import { VipErrorStatus } from './vip.exception';

/** OpenAPI schema of a simulator error: the shared error body plus the VIP status. */
export class VipHttpErrorResponse extends HttpErrorResponse {
  @ApiProperty({ example: '6004', description: 'VIP status code, the same as over TCP' })
  status: string;

  @ApiPropertyOptional({ description: 'More detail from VIP, when there is any' })
  detail?: string;
}

/** Groups the HTTP error codes that VIP statuses map to by HTTP status. */
function vipErrorCodesByStatus(): ErrorCodesByStatus {
  const codes: Record<number, string[]> = {};
  const statuses = Object.values(VipStatus).filter(
    (status): status is VipErrorStatus => status !== VipStatus.Success,
  );
  for (const status of statuses) {
    const { statusCode, code } = httpMappingForVipStatus(status);
    const list = (codes[statusCode] ??= []);
    if (!list.includes(code)) {
      list.push(code);
    }
  }

  return codes;
}

/**
 * Documents the error responses of a simulator HTTP controller. The list is
 * every code that a VIP status maps to, so a route may return fewer.
 */
export function ApiVipErrorResponses(): MethodDecorator & ClassDecorator {
  return ApiErrorResponses(vipErrorCodesByStatus(), VipHttpErrorResponse);
}

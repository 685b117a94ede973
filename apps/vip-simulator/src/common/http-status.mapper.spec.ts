import { VIP_STATUS_MESSAGES } from '@app/contract';

import { httpMappingForVipStatus } from './http-status.mapper';
import { VipErrorStatus } from './vip.exception';

describe('httpMappingForVipStatus', () => {
  const errorStatuses = Object.keys(VIP_STATUS_MESSAGES).filter(
    (status) => status !== '0000',
  ) as VipErrorStatus[];

  it.each(errorStatuses)('maps VIP status %s to an HTTP error status', (status) => {
    const mapping = httpMappingForVipStatus(status);

    expect(mapping.statusCode).toBeGreaterThanOrEqual(400);
    expect(mapping.code).toMatch(/^[A-Z_]+$/);
  });

  it('gives every VIP status its own error code', () => {
    const codes = errorStatuses.map((status) => httpMappingForVipStatus(status).code);

    expect(new Set(codes).size).toBe(codes.length);
  });

  it('maps 6500 to 503 and 6501 to 500', () => {
    expect(httpMappingForVipStatus('6500').statusCode).toBe(503);
    expect(httpMappingForVipStatus('6501').statusCode).toBe(500);
  });
});

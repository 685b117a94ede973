/** Stable error codes shared by both services' HTTP APIs. */
export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  InternalError = 'INTERNAL_ERROR',
}

/** The one error body every HTTP endpoint returns. */
export interface HttpErrorBody {
  statusCode: number;
  code: string;
  message: string;
  requestId: string;
  /** Service-specific fields, such as the VIP status of a simulator error. */
  [extra: string]: unknown;
}

/** What a service's domain exception mapper returns for an error it recognises. */
export interface MappedHttpError {
  statusCode: number;
  code: string;
  message: string;
  extra?: Record<string, unknown>;
}

/** Returns the stable code for an HTTP status that no domain mapper claimed. */
export function codeForHttpStatus(statusCode: number): string {
  switch (statusCode) {
    case 400:
      return CommonErrorCode.ValidationFailed;
    case 401:
      return CommonErrorCode.Unauthorized;
    case 403:
      return CommonErrorCode.Forbidden;
    case 404:
      return CommonErrorCode.NotFound;
    case 405:
      return CommonErrorCode.MethodNotAllowed;
    case 409:
      return CommonErrorCode.Conflict;
    case 413:
      return CommonErrorCode.PayloadTooLarge;
    case 415:
      return CommonErrorCode.UnsupportedMediaType;
    case 429:
      return CommonErrorCode.TooManyRequests;
    case 503:
      return CommonErrorCode.ServiceUnavailable;
    default:
      return statusCode >= 500 ? CommonErrorCode.InternalError : CommonErrorCode.ValidationFailed;
  }
}

import { applyDecorators } from '@nestjs/common';
import { IsString, Matches, MaxLength, ValidateBy, ValidateIf, isISO8601 } from 'class-validator';

export const SECURITY_CODE_PATTERN = /^[0-9]{6}$/;
export const PIN_PATTERN = /^[0-9]{4}$/;
export const CREDENTIAL_ID_PATTERN = /^[A-Z]{4}[0-9]{8}$/;
export const VIP_USER_ID_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;

/**
 * The ISO 8601 forms accepted for a time: the extended calendar date, alone
 * or with a time of hours and minutes, optional seconds and fraction, and an
 * optional zone. class-validator's strict ISO 8601 check also passes week
 * dates (`2024-W01-1`), ordinal dates (`2024-123`), the basic format
 * (`20240101`) and a time of hours alone, which neither `Date.parse` nor
 * PostgreSQL reads.
 */
export const ISO_DATE_TIME_PATTERN =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/** Validates a time in an ISO 8601 form that both Node and PostgreSQL read (ISO_DATE_TIME_PATTERN). */
export function IsIsoDateTime(): PropertyDecorator {
  return ValidateBy({
    name: 'isIsoDateTime',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' &&
        ISO_DATE_TIME_PATTERN.test(value) &&
        isISO8601(value, { strict: true }) &&
        !Number.isNaN(Date.parse(value)),
      defaultMessage: () =>
        '$property must be an ISO 8601 date-time, such as 2026-12-04 or 2026-12-04T10:30:00Z',
    },
  });
}

/**
 * Marks a property as optional: when it is absent the other validators are
 * skipped. Unlike `@IsOptional()`, null is validated like any other value and
 * so rejected, because no request field of this API gives null a meaning.
 */
export function IsOptionalNonNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** A security code: exactly six ASCII digits as a string, leading zeros kept. */
export function IsSecurityCode(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string of exactly 6 digits' }),
    Matches(SECURITY_CODE_PATTERN, { message: '$property must be exactly 6 digits (0-9)' }),
  );
}

/** A PIN: exactly four ASCII digits as a string, leading zeros kept. */
export function IsPin(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string of exactly 4 digits' }),
    Matches(PIN_PATTERN, { message: '$property must be exactly 4 digits (0-9)' }),
  );
}

/** A credential ID: four capital letters and eight digits, such as SYMC12345678. */
export function IsCredentialId(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    Matches(CREDENTIAL_ID_PATTERN, {
      message: '$property must be 4 capital letters followed by 8 digits, such as SYMC12345678',
    }),
  );
}

/** A VIP user ID: 1 to 64 letters, digits or the characters . _ @ - */
export function IsVipUserId(): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property must be a string' }),
    MaxLength(64, { message: '$property must be at most 64 characters' }),
    Matches(VIP_USER_ID_PATTERN, {
      message: '$property must be 1 to 64 letters, digits or the characters . _ @ -',
    }),
  );
}

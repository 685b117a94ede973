import {
  ArgumentMetadata,
  BadRequestException,
  Injectable,
  ValidationPipe,
  ValidationPipeOptions,
} from '@nestjs/common';

import {
  MAX_NESTING_DEPTH,
  findExcessiveNesting,
  findLoneSurrogate,
  findNulCharacter,
  findPrototypeKey,
  formatValidationErrors,
  isPlainObject,
} from './format-validation-errors';

/** Options of every validating pipe: unknown fields are rejected, not stripped, and values become DTO instances. */
export const STRICT_VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
};

/**
 * ValidationPipe that also rejects a body or TCP payload that is not a JSON
 * object (an array, null or a bare value), because DTO validation alone would
 * let an array through as a list of instances. It rejects keys that name
 * Object.prototype members (`__proto__`, `constructor`, `toString`, …) and
 * `prototype` too, at any depth, because the whitelist does not see them.
 * It also rejects a string with a NUL character in any field, because
 * PostgreSQL text cannot store one, a string with an unpaired UTF-16
 * surrogate, which has no UTF-8 form, and a field nested more than
 * MAX_NESTING_DEPTH levels deep, before any recursive walk of the value.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor(exceptionFactory: (message: string) => Error) {
    super({
      ...STRICT_VALIDATION_OPTIONS,
      exceptionFactory: (errors) => exceptionFactory(formatValidationErrors(errors)),
    });
    this.rejectWith = exceptionFactory;
  }

  private readonly rejectWith: (message: string) => Error;

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validatesClass = metadata.type !== 'custom' && this.toValidate(metadata);
    if (validatesClass && !isPlainObject(value)) {
      const subject = metadata.type === 'body' ? 'request body' : 'payload';
      throw this.rejectWith(`${subject} must be a JSON object`);
    }
    const deepField = validatesClass ? findExcessiveNesting(value) : null;
    if (deepField !== null) {
      throw this.rejectWith(
        `${deepField} must not be nested more than ${MAX_NESTING_DEPTH} levels deep`,
      );
    }
    const prototypeKey = validatesClass ? findPrototypeKey(value) : null;
    if (prototypeKey !== null) {
      throw this.rejectWith(`property ${prototypeKey} is not allowed`);
    }
    const nulPath = validatesClass ? findNulCharacter(value) : null;
    if (nulPath !== null) {
      throw this.rejectWith(`${nulPath} must not contain a NUL character (\\u0000)`);
    }
    const surrogatePath = validatesClass ? findLoneSurrogate(value) : null;
    if (surrogatePath !== null) {
      throw this.rejectWith(
        `${surrogatePath} must be valid Unicode text (it contains an unpaired surrogate)`,
      );
    }

    return super.transform(value, metadata);
  }
}

/** Builds the global HTTP pipe: 400 VALIDATION_FAILED naming the field and the rule. */
export function createHttpValidationPipe(): StrictValidationPipe {
  return new StrictValidationPipe(
    (message) => new BadRequestException({ code: 'VALIDATION_FAILED', message }),
  );
}

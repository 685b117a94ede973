import { BadRequestException, Injectable, NestMiddleware } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

/** Keys that can reach an object's prototype when a library copies or merges the body. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Returns the path of the first prototype key at any depth of a parsed JSON value, or null. */
export function findPrototypeKey(value: unknown, path = ''): string | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (PROTOTYPE_KEYS.has(key)) {
      return keyPath;
    }
    const nested = findPrototypeKey((value as Record<string, unknown>)[key], keyPath);
    if (nested) {
      return nested;
    }
  }

  return null;
}

/**
 * Rejects a JSON body that contains `__proto__`, `constructor` or `prototype`
 * as a key. JSON.parse keeps `__proto__` as an own key, and class-transformer
 * drops it silently when it builds the DTO, so the validation pipe alone would
 * accept such a body instead of responding with 400.
 */
@Injectable()
export class PrototypeKeysMiddleware implements NestMiddleware {
  use(request: Request, _response: Response, next: NextFunction): void {
    const key = findPrototypeKey(request.body);
    if (key) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: `${key} is not allowed: request bodies must not use prototype keys`,
      });
    }
    next();
  }
}

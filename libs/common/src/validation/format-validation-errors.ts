import { ValidationError } from 'class-validator';

/** Lists every failed rule as "field: message", with nested fields joined by dots. */
export function collectValidationMessages(errors: ValidationError[], parentPath = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      messages.push(message.startsWith(error.property) ? message : `${path}: ${message}`);
    }
    messages.push(...collectValidationMessages(error.children ?? [], path));
  }

  return messages;
}

/** Joins the failed rules into one sentence-like message naming each field. */
export function formatValidationErrors(errors: ValidationError[]): string {
  const messages = collectValidationMessages(errors);

  return messages.length > 0 ? messages.join('; ') : 'request is invalid';
}

/** Tells whether a value is a plain JSON object (not an array, null or a primitive). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;

  return prototype === Object.prototype || prototype === null;
}

/**
 * Tells whether a key names a member of Object.prototype (`__proto__`,
 * `constructor`, `toString`, `hasOwnProperty`, …) or is `prototype`. Such keys
 * can reach an object's prototype when copied, and class-transformer drops
 * them without a validation error, because the DTO instance inherits a value
 * under that name. The whitelist therefore never sees them.
 */
function isPrototypeKey(key: string): boolean {
  return key === 'prototype' || Object.prototype.hasOwnProperty.call(Object.prototype, key);
}

/** Returns the dotted path of the first prototype key at any depth, or null when there is none. */
export function findPrototypeKey(value: unknown, path = ''): string | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (isPrototypeKey(key)) {
      return keyPath;
    }
    const nested = findPrototypeKey((value as Record<string, unknown>)[key], keyPath);
    if (nested !== null) {
      return nested;
    }
  }

  return null;
}

import { ValidationError } from 'class-validator';

/**
 * class-validator constraint names that check a value's type. When one of
 * them fails, the range and format rules of the same field fail too, because
 * they expect that type, so only the type rule is reported.
 */
const TYPE_CONSTRAINTS = new Set(['isInt', 'isNumber', 'isString', 'isBoolean']);

/** Returns the failed rules of one field, reduced to the type rule when that one failed. */
function relevantConstraintMessages(constraints: Record<string, string>): string[] {
  const typeFailures = Object.keys(constraints).filter((name) => TYPE_CONSTRAINTS.has(name));
  const names = typeFailures.length > 0 ? typeFailures : Object.keys(constraints);

  return names.map((name) => constraints[name]);
}

/** Lists every failed rule as "field: message", with nested fields joined by dots. */
export function collectValidationMessages(errors: ValidationError[], parentPath = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    for (const message of relevantConstraintMessages(error.constraints ?? {})) {
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
 * Deepest nesting of objects and arrays accepted in a body or payload, the
 * top-level object being level 1. Every request type is a flat object, so
 * deeper values fail validation anyway. The limit makes them fail with a
 * validation error before class-transformer, class-validator and the checks
 * below walk them recursively: a 10 kB body of nested arrays overflows the
 * call stack of such a walk.
 */
export const MAX_NESTING_DEPTH = 32;

/**
 * Returns the top-level key whose value nests objects or arrays deeper than
 * `maxDepth` levels, or null when there is none. It walks the value with an
 * explicit stack, so a deeply nested value cannot overflow the call stack.
 */
export function findExcessiveNesting(value: unknown, maxDepth = MAX_NESTING_DEPTH): string | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  for (const [key, field] of Object.entries(value)) {
    const pending: Array<{ value: unknown; depth: number }> = [{ value: field, depth: 2 }];
    while (pending.length > 0) {
      const { value: current, depth } = pending.pop()!;
      if (typeof current !== 'object' || current === null) {
        continue;
      }
      if (depth > maxDepth) {
        return key;
      }
      for (const nested of Object.values(current)) {
        pending.push({ value: nested, depth: depth + 1 });
      }
    }
  }

  return null;
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

/**
 * Returns the dotted path of the first string, value or key, at any depth
 * that `matches`, or null when there is none. A matching key is reported as
 * that key, in JSON quotes.
 */
function findString(value: unknown, matches: (text: string) => boolean, path = ''): string | null {
  if (typeof value === 'string') {
    return matches(value) ? path || 'value' : null;
  }
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  for (const [key, nested] of Object.entries(value)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (matches(key)) {
      return JSON.stringify(keyPath);
    }
    const found = findString(nested, matches, keyPath);
    if (found !== null) {
      return found;
    }
  }

  return null;
}

/**
 * Returns the dotted path of the first string that contains a NUL character
 * (U+0000) at any depth, or null when there is none. PostgreSQL text columns
 * cannot store NUL, so such a value would fail at the database instead of
 * getting a 400 that names the field.
 */
export function findNulCharacter(value: unknown): string | null {
  return findString(value, (text) => text.includes('\u0000'));
}

/** A UTF-16 high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Returns the dotted path of the first string that contains a lone UTF-16
 * surrogate (such as `"\ud800"` in JSON) at any depth, or null when there is
 * none. Such a string has no UTF-8 form: PostgreSQL rejects it in `jsonb` and
 * pg would replace it in text, so it is rejected with a 400 that names the field.
 */
export function findLoneSurrogate(value: unknown): string | null {
  return findString(value, (text) => LONE_SURROGATE.test(text));
}

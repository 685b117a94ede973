import 'reflect-metadata';

import { IsInt, IsString, Max, Min, ValidateNested, validateSync } from 'class-validator';
import { Type } from 'class-transformer';

import {
  MAX_NESTING_DEPTH,
  findExcessiveNesting,
  findLoneSurrogate,
  findNulCharacter,
  findPrototypeKey,
  formatValidationErrors,
  isPlainObject,
} from './format-validation-errors';

class Inner {
  @IsInt()
  count: number;
}

class Outer {
  @IsString()
  name: string;

  @ValidateNested()
  @Type(() => Inner)
  inner: Inner;
}

describe('formatValidationErrors', () => {
  it('names each failed field, nested ones with a dotted path', () => {
    const outer = Object.assign(new Outer(), {
      name: 5,
      inner: Object.assign(new Inner(), { count: 'x' }),
    });
    const message = formatValidationErrors(validateSync(outer));

    expect(message).toContain('name must be a string');
    expect(message).toContain('count must be an integer number');
  });
});

class Bounded {
  @IsInt({ message: 'count must be an integer' })
  @Min(1, { message: 'count must be at least 1' })
  @Max(10, { message: 'count must be at most 10' })
  count: number;
}

describe('formatValidationErrors with a wrong type', () => {
  it('reports only the type rule', () => {
    const bounded = Object.assign(new Bounded(), { count: '5' });

    expect(formatValidationErrors(validateSync(bounded))).toBe('count must be an integer');
  });

  it('reports range rules for the right type', () => {
    const bounded = Object.assign(new Bounded(), { count: 11 });

    expect(formatValidationErrors(validateSync(bounded))).toBe('count must be at most 10');
  });
});

describe('findNulCharacter', () => {
  it.each([
    [{ name: 'a\u0000b' }, 'name'],
    [{ outer: { inner: ['ok', '\u0000'] } }, 'outer.inner.1'],
    [{ 'bad\u0000key': 'x' }, '"bad\\u0000key"'],
    [{ name: 'fine', count: 3 }, null],
  ])('finds the NUL in %j at %s', (value, expected) => {
    expect(findNulCharacter(value)).toBe(expected);
  });
});

describe('findLoneSurrogate', () => {
  it.each([
    [{ name: '\ud800' }, 'name'],
    [{ name: 'low \udfff first' }, 'name'],
    [{ outer: { inner: ['ok', 'a\ud83d'] } }, 'outer.inner.1'],
    [{ ['key\udc00']: 'x' }, '"key\\udc00"'],
    [{ name: 'emoji \ud83d\ude00 pair', other: 'Café' }, null],
  ])('finds the lone surrogate in %j at %s', (value, expected) => {
    expect(findLoneSurrogate(value)).toBe(expected);
  });
});

/** Builds `{ [key]: [[…[leaf]…]] }` with the leaf at `depth` levels, iteratively. */
function nestedArrays(key: string, depth: number): Record<string, unknown> {
  let value: unknown = 'leaf';
  for (let level = 2; level <= depth; level += 1) {
    value = [value];
  }

  return { name: 'flat', [key]: value };
}

describe('findExcessiveNesting', () => {
  it('accepts nesting up to the limit', () => {
    expect(findExcessiveNesting(nestedArrays('deep', MAX_NESTING_DEPTH))).toBeNull();
  });

  it('names the field one level past it', () => {
    expect(findExcessiveNesting(nestedArrays('deep', MAX_NESTING_DEPTH + 1))).toBe('deep');
  });

  it('survives 100,000 levels', () => {
    expect(findExcessiveNesting(nestedArrays('deep', 100_000))).toBe('deep');
  });

  it('counts objects as levels', () => {
    const value = { outer: { a: { b: { c: 1 } } } };

    expect(findExcessiveNesting(value, 4)).toBeNull();
    expect(findExcessiveNesting(value, 3)).toBe('outer');
  });

  it('ignores flat objects and non-objects', () => {
    expect(findExcessiveNesting({ a: 1, b: 'x', c: null })).toBeNull();
    expect(findExcessiveNesting('text')).toBeNull();
  });
});

describe('findPrototypeKey', () => {
  it.each([
    ['__proto__', '{"__proto__":{"admin":true}}', '__proto__'],
    ['constructor', '{"a":1,"constructor":{}}', 'constructor'],
    ['a nested prototype', '{"a":{"b":{"prototype":1}}}', 'a.b.prototype'],
    ['a key inside an array', '{"a":[{"__proto__":1}]}', 'a.0.__proto__'],
    ['a constructor inside an array', '{"a":{"b":[{"constructor":1}]}}', 'a.b.0.constructor'],
    ['a prototype key with a null value', '{"prototype":null}', 'prototype'],
    ['an inherited method name', '{"vipUserId":"a","toString":"x"}', 'toString'],
    ['a nested hasOwnProperty', '{"a":{"hasOwnProperty":1}}', 'a.hasOwnProperty'],
  ])('finds %s', (_, json, path) => {
    expect(findPrototypeKey(JSON.parse(json))).toBe(path);
  });

  it('returns null for ordinary keys', () => {
    expect(findPrototypeKey({ code: '123456', nested: { proto: 1 } })).toBeNull();
    expect(findPrototypeKey({ username: 'x', nested: { list: [1, 'a'] } })).toBeNull();
    expect(findPrototypeKey(undefined)).toBeNull();
  });
});

describe('isPlainObject', () => {
  it.each([
    [{}, true],
    [Object.create(null), true],
    [[], false],
    [null, false],
    ['text', false],
    [new Date(), false],
  ])('classifies %p as %p', (value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});

import 'reflect-metadata';

import { IsInt, IsString, ValidateNested, validateSync } from 'class-validator';
import { Type } from 'class-transformer';

import {
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

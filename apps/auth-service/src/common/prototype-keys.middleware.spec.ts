import { findPrototypeKey } from './prototype-keys.middleware';

describe('findPrototypeKey', () => {
  it('finds __proto__ kept as an own key by JSON.parse', () => {
    expect(findPrototypeKey(JSON.parse('{"a":1,"__proto__":{"x":1}}'))).toBe('__proto__');
  });

  it('finds nested constructor and prototype keys', () => {
    expect(findPrototypeKey({ a: { b: [{ constructor: 1 }] } })).toBe('a.b.0.constructor');
    expect(findPrototypeKey({ prototype: null })).toBe('prototype');
  });

  it('returns null for ordinary bodies', () => {
    expect(findPrototypeKey({ username: 'x', nested: { list: [1, 'a'] } })).toBeNull();
    expect(findPrototypeKey(undefined)).toBeNull();
  });
});

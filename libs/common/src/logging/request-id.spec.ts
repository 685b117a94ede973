import { resolveRequestId } from './request-id';

describe('resolveRequestId', () => {
  it('keeps a safe id', () => {
    expect(resolveRequestId('abc-123_x.y:z')).toBe('abc-123_x.y:z');
  });

  it.each([
    ['a space', 'a b'],
    ['a newline', 'a\nb'],
    ['an empty string', ''],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 42],
    ['a missing value', undefined],
  ])('replaces an id with %s by a UUID', (_, candidate) => {
    expect(resolveRequestId(candidate)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

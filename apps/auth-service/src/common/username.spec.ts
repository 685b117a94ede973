import { USERNAME_PATTERN, normalizeUsername } from './username';

describe('normalizeUsername', () => {
  it('trims and lower-cases', () => {
    expect(normalizeUsername('  Jane.DOE \t')).toBe('jane.doe');
  });

  it('composes Unicode to NFC before comparing', () => {
    expect(normalizeUsername('Jose\u0301')).toBe(normalizeUsername('Jos\u00e9'));
  });

  it('stored usernames allow only a-z 0-9 . _ @ -', () => {
    expect(USERNAME_PATTERN.test('jane.doe@bank-1_x')).toBe(true);
    expect(USERNAME_PATTERN.test('jane doe')).toBe(false);
    expect(USERNAME_PATTERN.test('ab')).toBe(false);
  });
});

import 'reflect-metadata';

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { IsDisplayName, normalizeDisplayName } from './display-name';

class Named {
  @IsDisplayName(20)
  name: unknown;
}

function check(name: unknown): { name: unknown; errors: string[] } {
  const named = plainToInstance(Named, { name });
  const errors = validateSync(named).flatMap((error) => Object.values(error.constraints ?? {}));

  return { name: named.name, errors };
}

describe('normalizeDisplayName', () => {
  it('composes, trims and collapses spaces', () => {
    expect(normalizeDisplayName('  Cafe\u0301 \t Bank\n')).toBe('Café Bank');
    expect(normalizeDisplayName('Ba\uFEFFnk')).toBe('Ba nk');
  });
});

describe('IsDisplayName', () => {
  it('accepts and normalises a name', () => {
    expect(check(' Café  Bank ')).toEqual({ name: 'Café Bank', errors: [] });
  });

  it.each([
    'Bank\u200B',
    'Bank \u202Eknab',
    'Bank\u0007',
    'Bank\u3164',
    'Bank\u034F',
    'Bank\uE000',
  ])('rejects the invisible character in %j', (name) => {
    expect(check(name).errors).toEqual([
      'name must not contain control, invisible or unassigned characters (such as U+200B or U+202E)',
    ]);
  });

  it('rejects an empty or long name', () => {
    expect(check('   ').errors).toEqual(['name must be 1 to 20 characters']);
    expect(check('x'.repeat(21)).errors).toEqual(['name must be 1 to 20 characters']);
  });
});

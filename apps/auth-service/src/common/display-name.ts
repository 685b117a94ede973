import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

/**
 * Text without the code points that hide text or make one name look like
 * another: control (Unicode category Cc), format (Cf: zero-width spaces,
 * bidirectional marks and overrides), private-use (Co), unassigned (Cn) and
 * the other Default_Ignorable ones (U+3164 HANGUL FILLER, U+034F, variation
 * selectors). The byte order mark is white space in JavaScript, so
 * normalisation has already turned it into a space.
 */
const VISIBLE_TEXT_PATTERN = /^[^\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]*$/u;

/**
 * Normalises a display name: Unicode NFC, surrounding white space trimmed and
 * every run of white space inside turned into one space. Names that differ
 * only in their Unicode composition or spacing are then the same name.
 */
export function normalizeDisplayName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ');
}

/** Validates a display name: normalised, 1 to `maxLength` characters, no invisible characters. */
export function IsDisplayName(maxLength: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normalizeDisplayName(value) : value,
    ),
    IsString({ message: '$property must be a string' }),
    Length(1, maxLength, { message: `$property must be 1 to ${maxLength} characters` }),
    Matches(VISIBLE_TEXT_PATTERN, {
      message:
        '$property must not contain control, invisible or unassigned characters (such as U+200B or U+202E)',
    }),
  );
}

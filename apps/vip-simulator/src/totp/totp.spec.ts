import { computeTotp, computeTotpForStep, findConsecutiveSteps, findMatchingStep } from './totp';

// RFC 6238 Appendix B: the SHA1 seed is the ASCII string "12345678901234567890".
const RFC_SHA1_SECRET = Buffer.from('12345678901234567890', 'ascii');

const RFC_SHA1_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('computeTotp', () => {
  it.each(RFC_SHA1_VECTORS)(
    'matches the RFC 6238 SHA1 vector at %i s (8 digits)',
    (seconds, code) => {
      expect(computeTotp(RFC_SHA1_SECRET, seconds * 1000, 8)).toBe(code);
    },
  );

  it.each(RFC_SHA1_VECTORS)(
    'matches the RFC 6238 SHA1 vector at %i s (6 digits)',
    (seconds, code) => {
      expect(computeTotp(RFC_SHA1_SECRET, seconds * 1000, 6)).toBe(code.slice(2));
    },
  );

  it('keeps leading zeros', () => {
    expect(computeTotp(RFC_SHA1_SECRET, 1111111109 * 1000)).toBe('081804');
  });
});

describe('findMatchingStep', () => {
  const step = Math.floor(1111111109 / 30);

  it('finds the step of a code inside the window', () => {
    const code = computeTotpForStep(RFC_SHA1_SECRET, step + 1);

    expect(findMatchingStep(RFC_SHA1_SECRET, code, step, 1)).toBe(step + 1);
  });

  it('returns null two steps away', () => {
    const code = computeTotpForStep(RFC_SHA1_SECRET, step - 2);

    expect(findMatchingStep(RFC_SHA1_SECRET, code, step, 1)).toBeNull();
  });

  it.each(['12345', '1234567', '12345a', ''])(
    'returns null for the malformed code "%s"',
    (code) => {
      expect(findMatchingStep(RFC_SHA1_SECRET, code, step, 1)).toBeNull();
    },
  );
});

describe('findConsecutiveSteps', () => {
  it('finds two consecutive codes far from the center', () => {
    const center = 50_000_000;
    const code1 = computeTotpForStep(RFC_SHA1_SECRET, center + 15);
    const code2 = computeTotpForStep(RFC_SHA1_SECRET, center + 16);

    expect(findConsecutiveSteps(RFC_SHA1_SECRET, code1, code2, center, 20)).toBe(center + 16);
  });

  it('returns null for codes in the wrong order', () => {
    const center = 50_000_000;
    const code1 = computeTotpForStep(RFC_SHA1_SECRET, center + 1);
    const code2 = computeTotpForStep(RFC_SHA1_SECRET, center);

    expect(findConsecutiveSteps(RFC_SHA1_SECRET, code1, code2, center, 20)).toBeNull();
  });
});

/**
 * Unique Learner Numbers: the check digit as the ESFA's ILR validation computes it (derived data
 * rule DD01, used by rule ULN_04), not a seed rule. Known-good values are worked by hand below.
 */
import fc from 'fast-check';
import { Uln } from '../../src/epa/people';
import { isValidUln, TEMPORARY_ULN, ulnCheckDigit, ulnFrom, ulnProblem } from '../../src/epa/uln';

test('the check digit worked by hand: weights 10 to 2 on the first nine digits, sum mod 11, 10 minus the remainder', () => {
  // 9·10 + 1·9 + 2·8 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 + 8·2 = 246; 246 mod 11 = 4; 10 − 4 = 6
  expect(ulnCheckDigit('912345678')).toBe(6);
  expect(isValidUln('9123456786')).toBe(true);
  expect(isValidUln('9123456789')).toBe(false);
  // 1·10 + 9·44 = 406; 406 mod 11 = 10; 10 − 10 = 0
  expect(ulnFrom('199999999')).toBe('1999999990');
});

test('a remainder of 0 gives no valid ULN; the temporary ULN and malformed values are refused with a reason', () => {
  // 100000006: 1·10 + 6·2 = 22, a multiple of 11, so no final digit makes a ULN.
  const zero = '100000006';
  expect(ulnCheckDigit(zero)).toBeUndefined();
  for (let d = 0; d <= 9; d++) expect(isValidUln(`${zero}${d}`)).toBe(false);
  expect(ulnProblem(TEMPORARY_ULN)).toContain('temporary ULN');
  expect(ulnProblem('0123456789')).toContain('10 digits, not starting with 0');
  expect(ulnProblem('12345')).toContain('10 digits');
  expect(Uln.safeParse('9123456789').error?.issues[0]?.message).toContain('check digit');
});

test('property: exactly one final digit completes any nine leading digits, or none does', () => {
  fc.assert(
    fc.property(fc.integer({ min: 100_000_000, max: 999_999_999 }), (n) => {
      const valid = Array.from({ length: 10 }, (_, d) => `${n}${d}`).filter(isValidUln);
      expect(valid.length).toBeLessThanOrEqual(1);
      expect(valid[0]).toBe(ulnFrom(String(n)));
    }),
  );
});

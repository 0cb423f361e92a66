/**
 * The Unique Learner Number (ULN) the Learning Records Service issues: 10 digits, not starting with
 * 0, the last a check digit. The check digit, as the Education and Skills Funding Agency's ILR
 * validation computes it (derived data rule DD01, applied by ILR rule ULN_04): multiply the first
 * nine digits by 10, 9, 8, …, 2, add them up and take the remainder on division by 11; the check
 * digit is 10 minus that remainder, and a remainder of 0 gives no valid ULN. 9999999999 is the
 * ILR's temporary ULN for a learner who has none yet: it names nobody, so it cannot identify an EPA.
 */
export const TEMPORARY_ULN = '9999999999';

/** The check digit for the first nine digits, or undefined when no ULN can start with them. */
export function ulnCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(firstNine[i]) * (10 - i);
  const remainder = total % 11;
  return remainder === 0 ? undefined : 10 - remainder;
}

/** Why `uln` is not a ULN, or undefined when it is one. */
export function ulnProblem(uln: string): string | undefined {
  if (!/^[1-9]\d{9}$/.test(uln)) return 'a Unique Learner Number is 10 digits, not starting with 0';
  if (uln === TEMPORARY_ULN) return '9999999999 is the temporary ULN for a learner without one: give the apprentice’s own ULN';
  const check = ulnCheckDigit(uln.slice(0, 9));
  if (check === undefined || String(check) !== uln[9])
    return 'not a valid Unique Learner Number: its check digit does not match (Learning Records Service rule)';
  return undefined;
}

export function isValidUln(uln: string): boolean {
  return ulnProblem(uln) === undefined;
}

/** A valid ULN from nine leading digits (for fixtures and demo data), or undefined when none exists. */
export function ulnFrom(firstNine: string): string | undefined {
  const check = ulnCheckDigit(firstNine);
  return check === undefined || firstNine.startsWith('0') ? undefined : `${firstNine}${check}`;
}

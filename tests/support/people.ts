/** Invented people and organisations for fixtures (reserved example domains). */
import type { EpaStart } from '../../src/epa/people';
import { ulnFrom } from '../../src/epa/uln';

let next = 0;
/** A fresh, valid ULN (check digit included) per call, so tests sharing a server never collide. */
export function uniqueUln(): string {
  for (;;) {
    next += 1;
    const uln = ulnFrom(String(900_000_000 + (((Date.now() % 1_000_000) * 100 + next) % 99_999_999)));
    if (uln !== undefined) return uln;
  }
}

/** A valid ULN that no test starts an EPA for (for "not found"). */
export const UNKNOWN_ULN = '1999999990';

export function epaStart(overrides: Partial<EpaStart> = {}): EpaStart {
  return {
    uln: uniqueUln(),
    apprentice: { name: 'Ada Testwell', email: 'ada.testwell@apprentice.example' },
    employer: { organisation: 'Brightside Lettings Ltd', name: 'Noor Castellan', email: 'noor.castellan@brightside.example' },
    provider: { organisation: 'Northgate Training', name: 'Femi Arkwright', email: 'femi.arkwright@northgate.example' },
    epaoAdmin: { name: 'EPA Admin', email: 'epa-admin@epao.example' },
    standard: 'ST0071',
    epao: 'innovate',
    gatewaySubmittedOn: '2027-01-04',
    ...overrides,
  };
}

/** An invented employer's address for the printed certificate (the assessment service's `postalContact`). */
export const certificateAddress = {
  contactName: 'Lena Fairweather',
  organisation: 'Harbour Mutual',
  addressLine1: '1 Quay Street',
  city: 'Bristol',
  postCode: 'BS1 4DJ',
};

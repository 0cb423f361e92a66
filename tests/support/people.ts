/** Invented people and organisations for fixtures (reserved example domains). */
import type { EpaStart } from '../../src/epa/people';

let next = 0;
/** A fresh 10-digit ULN per call, so tests sharing a server never collide. */
export function uniqueUln(): string {
  next += 1;
  return String(9000000000 + (((Date.now() % 1_000_000) * 1000 + next) % 999_999_999));
}

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

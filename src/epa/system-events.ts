/** Events epa-flow records itself from the assessment service's answers: no person records them (no Update, no form, no history entry). */
export const SYSTEM_EVENT_TYPES: ReadonlySet<string> = new Set([
  'CertificateClaimRefused',
  'CertificateStatusChanged',
  'EpaOutcomeRecorded',
]);

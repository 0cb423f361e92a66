/**
 * What the staff pages ask of the EPA gateway (EpaClient): reading an EPA, recording an event,
 * checking and starting EPAs (the start form, the CSV import). The pages take this, so their route
 * tests run on an in-memory fake (tests/support/fake-epa-service.ts).
 */
import type { EpaClient } from '../app/epa-client';

export type EpaService = Pick<
  EpaClient,
  | 'status'
  | 'recordEvent'
  | 'preview'
  | 'restart'
  | 'validateStart'
  | 'start'
  | 'existing'
  | 'startImportSummary'
  | 'importStarted'
>;

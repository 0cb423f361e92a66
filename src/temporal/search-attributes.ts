/** The custom search attributes every EPA workflow keeps up to date (see docs/operations.md, Deployment topologies). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EpaStage = defineSearchAttributeKey('EpaStage', SearchAttributeType.KEYWORD);
export const EpaStandard = defineSearchAttributeKey('EpaStandard', SearchAttributeType.KEYWORD);
export const EpaEpao = defineSearchAttributeKey('EpaEpao', SearchAttributeType.KEYWORD);
export const EpaEmployer = defineSearchAttributeKey('EpaEmployer', SearchAttributeType.KEYWORD);
export const EpaNextDeadline = defineSearchAttributeKey('EpaNextDeadline', SearchAttributeType.DATETIME);
export const EpaOverdue = defineSearchAttributeKey('EpaOverdue', SearchAttributeType.BOOL);
/** The employer's name as a case-insensitive key (employerKey), set when the EPA starts: the employer filter. */
export const EpaEmployerKey = defineSearchAttributeKey('EpaEmployerKey', SearchAttributeType.KEYWORD);

/**
 * The apprentice's name as a filter key (filterKey): the one search attribute with personal data,
 * so the finder can search by name and sort by it on the server. Kept because staff search by
 * name; erased with the EPA (docs/operations.md, Personal data in histories).
 */
export const EpaApprenticeKey = defineSearchAttributeKey('EpaApprenticeKey', SearchAttributeType.KEYWORD);
/** The training provider's organisation as a filter key. */
export const EpaProviderKey = defineSearchAttributeKey('EpaProviderKey', SearchAttributeType.KEYWORD);
/** Who must act on the most urgent missed deadline (a role: epaoAdmin, assessor, …); unset when none is missed. */
export const EpaOwner = defineSearchAttributeKey('EpaOwner', SearchAttributeType.KEYWORD);
/** When the most urgent missed deadline expired; unset when none is missed. The overdue board pages by it. */
export const EpaOverdueSince = defineSearchAttributeKey('EpaOverdueSince', SearchAttributeType.DATETIME);

/** London dates of the assessments booked and not yet taken: the board's next 14 days find them with IN. */
export const EpaBookingDays = defineSearchAttributeKey('EpaBookingDays', SearchAttributeType.KEYWORD_LIST);

export const epaSearchAttributes = [
  EpaStage,
  EpaStandard,
  EpaEpao,
  EpaEmployer,
  EpaNextDeadline,
  EpaOverdue,
  EpaEmployerKey,
  EpaApprenticeKey,
  EpaProviderKey,
  EpaOwner,
  EpaOverdueSince,
  EpaBookingDays,
] as const;

/**
 * An organisation's name as a filter key: case and spacing ignored, and every character other than
 * a–z, 0–9 and space written as `_<hex>_`, so any stored name makes a key that is safe inside a
 * visibility query and two different names never share one.
 */
export function filterKey(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[^a-z0-9 ]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

/** An employer's name as its filter key. */
export const employerKey = filterKey;

/** The names the dev server's `--search-attribute` flag and the operator API take. */
export const searchAttributeCliType: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

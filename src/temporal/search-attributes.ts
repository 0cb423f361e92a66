/** The custom search attributes every EPA workflow keeps up to date (see the README's ops section). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EpaStage = defineSearchAttributeKey('EpaStage', SearchAttributeType.KEYWORD);
export const EpaStandard = defineSearchAttributeKey('EpaStandard', SearchAttributeType.KEYWORD);
export const EpaEpao = defineSearchAttributeKey('EpaEpao', SearchAttributeType.KEYWORD);
export const EpaEmployer = defineSearchAttributeKey('EpaEmployer', SearchAttributeType.KEYWORD);
export const EpaNextDeadline = defineSearchAttributeKey('EpaNextDeadline', SearchAttributeType.DATETIME);
export const EpaOverdue = defineSearchAttributeKey('EpaOverdue', SearchAttributeType.BOOL);
/** The employer's name as a case-insensitive key (employerKey), set when the EPA starts: the employer filter. */
export const EpaEmployerKey = defineSearchAttributeKey('EpaEmployerKey', SearchAttributeType.KEYWORD);

export const epaSearchAttributes = [
  EpaStage,
  EpaStandard,
  EpaEpao,
  EpaEmployer,
  EpaNextDeadline,
  EpaOverdue,
  EpaEmployerKey,
] as const;

/**
 * An organisation's name as a filter key: case and spacing ignored, and every character other than
 * a–z, 0–9 and space written as `_<hex>_`, so any stored name makes a key that is safe inside a
 * visibility query and two different names never share one.
 */
export function employerKey(name: string): string {
  return name
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/[^a-z0-9 ]/gu, (c) => `_${c.codePointAt(0)!.toString(16)}_`);
}

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

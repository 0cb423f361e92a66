/** The custom search attributes every EPA workflow keeps up to date (see the README's ops section). */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const EpaStage = defineSearchAttributeKey('EpaStage', SearchAttributeType.KEYWORD);
export const EpaStandard = defineSearchAttributeKey('EpaStandard', SearchAttributeType.KEYWORD);
export const EpaEpao = defineSearchAttributeKey('EpaEpao', SearchAttributeType.KEYWORD);
export const EpaEmployer = defineSearchAttributeKey('EpaEmployer', SearchAttributeType.KEYWORD);
export const EpaNextDeadline = defineSearchAttributeKey('EpaNextDeadline', SearchAttributeType.DATETIME);
export const EpaOverdue = defineSearchAttributeKey('EpaOverdue', SearchAttributeType.BOOL);

export const epaSearchAttributes = [EpaStage, EpaStandard, EpaEpao, EpaEmployer, EpaNextDeadline, EpaOverdue] as const;

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

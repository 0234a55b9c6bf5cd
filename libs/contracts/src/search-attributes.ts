/**
 * Custom search attributes Duban writes on its workflows. The dev server
 * registers them at start (`--search-attribute NAME=TYPE`), production
 * clusters with `temporal operator search-attribute create`.
 */
export const DUBAN_SEARCH_ATTRIBUTES = {
  DubanPlan: 'Keyword',
  DubanQuarter: 'Keyword',
  DubanStatus: 'Keyword',
  DubanLeadUnit: 'Keyword',
  DubanDeadline: 'Datetime',
} as const;

export type DubanSearchAttributeName = keyof typeof DUBAN_SEARCH_ATTRIBUTES;

/**
 * Typed keys for `typedSearchAttributes` and `upsertSearchAttributes`; plain
 * objects of the SDK's SearchAttributeKey shape, so workflow code needs no
 * import beyond @temporalio/workflow.
 */
export const SEARCH_ATTRIBUTE_KEYS = {
  plan: { name: 'DubanPlan', type: 'KEYWORD' },
  quarter: { name: 'DubanQuarter', type: 'KEYWORD' },
  status: { name: 'DubanStatus', type: 'KEYWORD' },
  leadUnit: { name: 'DubanLeadUnit', type: 'KEYWORD' },
  deadline: { name: 'DubanDeadline', type: 'DATETIME' },
} as const;

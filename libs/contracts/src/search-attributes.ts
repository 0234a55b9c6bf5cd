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

export const LIMITS = {
  keyNameMaxLength: 100,
  spaceNameMaxLength: 100,
  searchMaxLength: 100,
  /** Size of the column that keeps a key name in search form (NFKC, lower case). */
  searchFormMaxLength: 200,
  pageSizeMin: 1,
  pageSizeMax: 100,
  pageSizeDefault: 10,
  pageSizeOptions: [10, 25, 50, 100],
  usageDays: 30,
} as const;

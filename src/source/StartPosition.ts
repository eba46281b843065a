/**
 * Where one shard's reading starts: the iterator type to ask for, and, for a
 * restore inside a KPL aggregated record, how many sub-records to skip.
 */
export type StartPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestamp: Date }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string }
  /**
   * Restore inside an aggregated record: read it again, but emit only its
   * sub-records after `afterSubSequenceNumber`.
   */
  | {
      readonly type: 'AT_SEQUENCE_NUMBER';
      readonly sequenceNumber: string;
      readonly afterSubSequenceNumber: number;
    };

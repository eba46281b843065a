import { type AggregatedEntry, AggregatedRecordBuilder } from './AggregatedRecordBuilder.js';

/**
 * Encodes user records as one KPL aggregated record.
 *
 * ## Example
 * ```ts
 * import { encodeAggregatedRecord } from 'rx-kinesis';
 * const blob = encodeAggregatedRecord([{ partitionKey: 'k', data: Uint8Array.of(1, 2) }]);
 * ```
 */
export function encodeAggregatedRecord(entries: Iterable<AggregatedEntry>): Uint8Array {
  const builder = new AggregatedRecordBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.encode();
}

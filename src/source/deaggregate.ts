import { hasKplMagic } from '../kpl/aggregatedRecordFormat.js';
import { decodeAggregatedRecord } from '../kpl/decodeAggregatedRecord.js';

/** A record as GetRecords / SubscribeToShard returns it, before de-aggregation. */
export interface RawRecord {
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
}

/** One user record inside a raw record. `subSequenceNumber` is set only for KPL aggregated records. */
export interface UserRecord {
  readonly partitionKey: string;
  readonly explicitHashKey?: string;
  readonly data: Uint8Array;
  readonly subSequenceNumber?: number;
}

/**
 * Calls `emit` for every user record inside `raw`: once, unchanged, for a
 * plain record; once per sub-record, with its sub-sequence number (0..n-1)
 * and its own partition key / explicit hash key, for a KPL aggregated
 * record. A record with the KPL magic bytes that fails the MD5 or protobuf
 * check passes through unchanged, like the KCL does; so does one with a key
 * index outside its table or with no records, where the KCL would drop
 * sub-records (see `decodeAggregatedRecord`). A plain record costs
 * four byte comparisons and no allocation.
 */
export function deaggregate(raw: RawRecord, emit: (record: UserRecord) => void): void {
  const data = raw.data;
  if (!hasKplMagic(data)) {
    emit(raw);
    return;
  }
  const subRecords = decodeAggregatedRecord(data);
  if (subRecords === undefined) {
    emit(raw);
    return;
  }
  for (let i = 0; i < subRecords.length; i++) emit(subRecords[i] as UserRecord);
}

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
 * plain record; once per sub-record, with its sub-sequence number, for a KPL
 * aggregated record. (Stub: plain pass-through until the KPL codec lands.)
 */
export function deaggregate(raw: RawRecord, emit: (record: UserRecord) => void): void {
  emit(raw);
}

/**
 * What the sink accepts: the payload, and optionally the partition key,
 * explicit hash key and target stream of this one record. A `KinesisRecord`
 * read by `fromKinesis` is one, so copying a stream is
 * `fromKinesis(a).subscribe(toKinesis(b))` (keys are kept, so per-key order
 * and shard affinity survive the copy). Other fields are allowed and can be
 * used by the fields partitioner (`partitionBy`).
 */
export interface SinkInput {
  /** The payload; a string is sent as its UTF-8 bytes. */
  readonly data: Uint8Array | string;
  /** Overrides the partitioner for this record. */
  readonly partitionKey?: string;
  /** Overrides the shard choice by hash for this record (a decimal 128-bit integer). */
  readonly explicitHashKey?: string;
  /** Overrides the sink's `stream` for this record (like Flink's `getTargetStream`): a name or a stream ARN. */
  readonly stream?: string;
}

/**
 * Kinesis acknowledged a record: where it was stored. `value` is the input
 * value itself (the same object), so `acks.pipe(map((a) => a.value),
 * checkpoints())` advances a source checkpoint over acknowledged records only.
 */
export interface SinkAck<T> {
  /** The stream's name (also when the target was given by ARN). */
  readonly stream: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  /** Set when the record was sent inside a KPL aggregated record: its index there. */
  readonly subSequenceNumber?: number;
  readonly value: T;
}

/**
 * One record on its way through the sink: validated, keyed, encoded, sized
 * once. An aggregated record carries the user records packed into it in
 * `members`. `ack` is filled when Kinesis acknowledges it.
 */
export interface SinkEntry<T> {
  readonly value: T;
  readonly stream: string;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Bytes counted against the 1 MiB / 5 MiB limits: data plus partition key (UTF-8). */
  readonly size: number;
  /** The key was drawn by the random partitioner (aggregation may replace it). */
  readonly randomKey: boolean;
  /** For an aggregated record: the user records inside it, in order. */
  readonly members: ReadonlyArray<SinkEntry<T>> | undefined;
  ack: SinkAck<T> | undefined;
  /** Scheduler time the sink received it (set only with `recordTtlMs`; 0 otherwise). */
  receivedAt: number;
  /** Handed to `invalidRecords` after it was accepted (it expired): released without an ack. */
  rejected: boolean;
}

import { type OperatorFunction, type SchedulerLike, asyncScheduler, map } from 'rxjs';
import { AggregatedRecordBuilder } from '../kpl/AggregatedRecordBuilder.js';
import { KPL_DIGEST_SIZE, KPL_MAGIC } from '../kpl/aggregatedRecordFormat.js';
import { utf8Length } from '../kpl/utf8Length.js';
import { type Batch, batchRecords } from './batchRecords.js';
import { randomPartitioner } from './randomPartitioner.js';
import type { SinkEntry } from './SinkInput.js';

/** Limits of one aggregated record. */
export interface AggregationOptions {
  /** User records per aggregated record. */
  readonly maxCount: number;
  /** Bytes per aggregated record (≤ 1 MiB less its key). */
  readonly maxSize: number;
  /** How long a record waits for others to join it. */
  readonly timeoutMs: number;
  /** Randomness for the key of records whose key was random. */
  readonly random?: () => number;
}

// Upper bound of the protobuf bytes a record adds besides its data and key:
// table entry and record tags and varints.
const RECORD_OVERHEAD = 32;

/**
 * Packs user records into KPL aggregated records, readable by `fromKinesis`
 * and by the KCL. Records are grouped by target stream and key, so every
 * user record of an aggregated record hashes to the shard the aggregated
 * record lands in (the KCL drops sub-records outside their shard's range):
 * records with the same explicit hash key, or else the same partition key,
 * are packed together. Records whose key was drawn by the random
 * partitioner share one group per stream and get one fresh random key per
 * aggregated record. No shard map is needed, and resharding cannot break
 * it. A group of one record is sent as a plain record.
 *
 * ## Example
 * ```ts
 * import { aggregateRecords } from 'rx-kinesis';
 * entries.pipe(aggregateRecords({ maxCount: 1000, maxSize: 51200, timeoutMs: 100 }));
 * ```
 *
 * @param options limits of one aggregated record
 * @param scheduler where the wait runs; defaults to `asyncScheduler`
 */
export function aggregateRecords<T>(
  options: AggregationOptions,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<SinkEntry<T>, SinkEntry<T>> {
  const newKey = randomPartitioner(options.random);
  // leave room for the magic bytes, the digest and the aggregated record's own key
  const budget = options.maxSize - KPL_MAGIC.length - KPL_DIGEST_SIZE;
  return (source) =>
    source.pipe(
      batchRecords<SinkEntry<T>>(
        {
          maxRecords: options.maxCount,
          maxBytes: budget,
          timeoutMs: options.timeoutMs,
          sizeOf: (e) =>
            e.size +
            (e.explicitHashKey === undefined ? 0 : e.explicitHashKey.length) +
            RECORD_OVERHEAD,
          keyOf: (e) =>
            e.randomKey
              ? `${e.stream}\n*`
              : `${e.stream}\n${e.explicitHashKey === undefined ? 'p' : 'h'}${e.explicitHashKey ?? e.partitionKey}`,
        },
        scheduler,
      ),
      map((batch) => pack(batch, newKey)),
    );
}

function pack<T>(batch: Batch<SinkEntry<T>>, newKey: (value: unknown) => string): SinkEntry<T> {
  const first = batch.items[0] as SinkEntry<T>;
  if (batch.items.length === 1) return first;
  const builder = new AggregatedRecordBuilder();
  const partitionKey = first.randomKey ? newKey(undefined) : first.partitionKey;
  for (const entry of batch.items) {
    builder.add(
      entry.randomKey
        ? { partitionKey, data: entry.data }
        : entry.explicitHashKey === undefined
          ? { partitionKey: entry.partitionKey, data: entry.data }
          : {
              partitionKey: entry.partitionKey,
              explicitHashKey: entry.explicitHashKey,
              data: entry.data,
            },
    );
  }
  const data = builder.encode();
  return {
    value: first.value,
    stream: first.stream,
    partitionKey,
    explicitHashKey: first.explicitHashKey,
    data,
    size: data.length + utf8Length(partitionKey),
    randomKey: false,
    members: batch.items,
    ack: undefined,
    // the earliest member's: the aggregated record expires with its oldest record
    receivedAt: first.receivedAt,
    rejected: false,
  };
}

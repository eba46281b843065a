import type { _Record } from '@aws-sdk/client-kinesis';
import type { KinesisRecord } from '../record.js';
import { hasKplMagic } from '../kpl/aggregatedRecordFormat.js';
import { type ShardContext, shardContextOf } from './shardContext.js';
import { type RawRecord, type UserRecord, deaggregate } from './deaggregate.js';
import type { StartPosition } from './StartPosition.js';

/** A record under construction: the readonly fields of `KinesisRecord`, writable once. */
type RecordDraft = { -readonly [K in keyof KinesisRecord]: KinesisRecord[K] };

/**
 * Turns one shard's raw records (GetRecords or SubscribeToShard events) into
 * `KinesisRecord`s, per batch: de-aggregates KPL records, skips the
 * sub-records a restore at `AT_SEQUENCE_NUMBER` had already handled, gives
 * every record the shard's prototype (see `shardContext.ts`), and remembers
 * the last raw record read, where an expired iterator or a new subscription
 * resumes. Shared by both shard readers; one instance per shard reading.
 *
 * ## Example
 * ```ts
 * import { ShardRecordBuilder, shardRecordPrototype } from 'rx-kinesis';
 * const builder = new ShardRecordBuilder('orders', 'shardId-000000000000',
 *   shardRecordPrototype({ parentShardIds: [] }), { type: 'TRIM_HORIZON' });
 * const records = builder.toRecords(output.Records ?? [], output.MillisBehindLatest);
 * ```
 */
export class ShardRecordBuilder {
  /** Sequence number of the last raw record whose user records were all built. */
  lastSequenceNumber: string | undefined;
  private skip: { sequenceNumber: string; after: number } | undefined;
  // Per-batch state read by the de-aggregation callback (one closure per shard, not per record).
  private batch: KinesisRecord[] = [];
  private current: _Record | undefined;
  private behind: number | undefined;
  private readonly emit: (user: UserRecord) => void;
  // plain data on every record (one shared object per shard), not a prototype a copy would lose
  private readonly context: ShardContext | undefined;

  constructor(
    private readonly stream: string,
    private readonly shardId: string,
    recordPrototype: object,
    start: StartPosition,
  ) {
    this.context = shardContextOf(recordPrototype);
    this.skip =
      start.type === 'AT_SEQUENCE_NUMBER'
        ? { sequenceNumber: start.sequenceNumber, after: start.afterSubSequenceNumber }
        : undefined;
    this.emit = (user) => this.build(user);
  }

  /** The records inside one batch of raw records, in order. */
  toRecords(raws: readonly _Record[], millisBehindLatest: number | undefined): KinesisRecord[] {
    this.batch = [];
    this.behind = millisBehindLatest;
    for (const raw of raws) {
      this.current = raw;
      const sequenceNumber = raw.SequenceNumber as string;
      if (this.skip !== undefined && sequenceNumber !== this.skip.sequenceNumber) {
        this.skip = undefined;
      }
      // AWS does not return it on reads, but fakes and proxies may.
      const explicitHashKey = (raw as { ExplicitHashKey?: string }).ExplicitHashKey;
      const data = raw.Data as Uint8Array;
      if (!hasKplMagic(data)) {
        // the common case, a plain record: built straight from the raw one (no draft, no callback)
        if (this.skip === undefined || sequenceNumber !== this.skip.sequenceNumber)
          this.batch.push(
            this.record(raw, raw.PartitionKey as string, explicitHashKey, data, undefined),
          );
        this.lastSequenceNumber = sequenceNumber;
        continue;
      }
      const input: { -readonly [K in keyof RawRecord]: RawRecord[K] } = {
        sequenceNumber,
        partitionKey: raw.PartitionKey as string,
        data,
      };
      if (explicitHashKey !== undefined) input.explicitHashKey = explicitHashKey;
      deaggregate(input, this.emit);
      this.lastSequenceNumber = sequenceNumber;
    }
    this.current = undefined;
    return this.batch;
  }

  private build(user: UserRecord): void {
    const raw = this.current as _Record;
    const skip = this.skip;
    if (
      skip !== undefined &&
      raw.SequenceNumber === skip.sequenceNumber &&
      (user.subSequenceNumber === undefined || user.subSequenceNumber <= skip.after)
    ) {
      return;
    }
    this.batch.push(
      this.record(raw, user.partitionKey, user.explicitHashKey, user.data, user.subSequenceNumber),
    );
  }

  private record(
    raw: _Record,
    partitionKey: string,
    explicitHashKey: string | undefined,
    data: Uint8Array,
    subSequenceNumber: number | undefined,
  ): KinesisRecord {
    // one literal (one shape for the common case), then the fields only some records have
    const record: RecordDraft = {
      stream: this.stream,
      shardId: this.shardId,
      sequenceNumber: raw.SequenceNumber as string,
      partitionKey,
      data,
      approximateArrivalTimestamp: raw.ApproximateArrivalTimestamp as Date,
    };
    if (subSequenceNumber !== undefined) record.subSequenceNumber = subSequenceNumber;
    if (explicitHashKey !== undefined) record.explicitHashKey = explicitHashKey;
    if (this.behind !== undefined) record.millisBehindLatest = this.behind;
    if (this.context !== undefined) record.shard = this.context;
    return record;
  }
}

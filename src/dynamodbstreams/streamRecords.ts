import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import type { _Record } from '@aws-sdk/client-kinesis';
import { type unmarshallOptions, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ShardRecordsBuilder, ShardRecordsFactory } from '../source/pollShard.js';
import { type ShardContext, shardContextOf } from '../source/shardContext.js';
import type { StartPosition } from '../source/StartPosition.js';
import type {
  DynamoDBEventName,
  DynamoDBItem,
  DynamoDBStreamRecord,
} from './DynamoDBStreamRecord.js';

/** How numbers are unmarshalled: `@aws-sdk/util-dynamodb`'s `wrapNumbers`. */
export type WrapNumbers = boolean | ((value: string) => unknown);

/** A record under construction: the readonly fields of `DynamoDBStreamRecord`, writable once. */
type RecordDraft = { -readonly [K in keyof DynamoDBStreamRecord]: DynamoDBStreamRecord[K] };
type AttributeMap = Parameters<typeof unmarshall>[0];

/**
 * The records builder of the DynamoDB Streams source, for `pollShard`'s
 * `records`: turns GetRecords' stream records (passed through by
 * `dynamoDBStreamsAsKinesis`) into `DynamoDBStreamRecord`s with keys and
 * images unmarshalled to plain objects (`wrapNumbers` as in
 * `@aws-sdk/util-dynamodb`: default `false`, numbers beyond 2^53 become
 * `bigint`), each carrying its shard context as the plain field `shard`.
 * A shard started `AT_TIMESTAMP` (a pinned LATEST: DynamoDB Streams has no
 * such iterator, so it is read from the trim horizon) skips the records made
 * before that timestamp's second (creation times are whole seconds), up to
 * the first one at or after it. A throwing `wrapNumbers` is an error on the
 * source's Observable.
 *
 * ## Example
 * ```ts
 * import { pollShard, streamRecords } from 'rx-kinesis';
 * const reader = pollShard({ maxRecords: 1000, records: streamRecords() });
 * ```
 *
 * @param wrapNumbers how numbers are unmarshalled; default `false`
 * @returns the records factory
 */
export function streamRecords(
  wrapNumbers: WrapNumbers = false,
): ShardRecordsFactory<DynamoDBStreamRecord> {
  const options: unmarshallOptions = {
    wrapNumbers: wrapNumbers as unmarshallOptions['wrapNumbers'],
  };
  return (stream, shardId, recordPrototype, start) =>
    new StreamRecordBuilder(stream, shardId, shardContextOf(recordPrototype), start, options);
}

class StreamRecordBuilder implements ShardRecordsBuilder<DynamoDBStreamRecord> {
  lastSequenceNumber: string | undefined;
  /** Records made before this (ms) are skipped, until the first one that is not. */
  private notBefore: number | undefined;

  constructor(
    private readonly stream: string,
    private readonly shardId: string,
    private readonly context: ShardContext | undefined,
    start: StartPosition,
    private readonly options: unmarshallOptions,
  ) {
    this.notBefore =
      start.type === 'AT_TIMESTAMP'
        ? Math.floor(start.timestamp.getTime() / 1000) * 1000
        : undefined;
  }

  toRecords(raws: readonly _Record[]): DynamoDBStreamRecord[] {
    const records: DynamoDBStreamRecord[] = [];
    for (const raw of raws as unknown as readonly StreamsRecord[]) {
      const change = raw.dynamodb;
      const sequenceNumber = change?.SequenceNumber as string;
      this.lastSequenceNumber = sequenceNumber;
      const created = change?.ApproximateCreationDateTime as Date;
      if (this.notBefore !== undefined) {
        if (created.getTime() < this.notBefore) continue;
        this.notBefore = undefined;
      }
      // one literal (one shape for the common case), then the fields only some records have
      const record: RecordDraft = {
        stream: this.stream,
        shardId: this.shardId,
        sequenceNumber,
        eventName: raw.eventName as DynamoDBEventName,
        keys: this.item(change?.Keys) ?? {},
        approximateCreationDateTime: created,
      };
      const newImage = this.item(change?.NewImage);
      if (newImage !== undefined) record.newImage = newImage;
      const oldImage = this.item(change?.OldImage);
      if (oldImage !== undefined) record.oldImage = oldImage;
      if (this.context !== undefined) record.shard = this.context;
      records.push(record);
    }
    return records;
  }

  private item(attributes: object | undefined | null): DynamoDBItem | undefined {
    if (attributes === undefined || attributes === null) return undefined;
    return unmarshall(attributes as AttributeMap, this.options) as DynamoDBItem;
  }
}

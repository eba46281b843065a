import { STREAM_ARN_EXPECTED, looksLikeArn, parseStreamArn } from '../client/StreamArn.js';
import { utf8Length } from '../kpl/utf8Length.js';
import { fieldsPartitioner } from './fieldsPartitioner.js';
import { fixedPartitioner } from './fixedPartitioner.js';
import { InvalidRecordError } from './InvalidRecordError.js';
import { randomPartitioner } from './randomPartitioner.js';
import type { ResolvedSinkConfig } from './SinkConfig.js';
import type { SinkEntry, SinkInput } from './SinkInput.js';

/** Kinesis limits on one record. */
export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PARTITION_KEY_LENGTH = 256;
const MAX_HASH_KEY = '340282366920938463463374607431768211455'; // 2^128 - 1
const DECIMAL = /^(0|[1-9][0-9]{0,38})$/;

const encoder = new TextEncoder();

/**
 * The function that turns one input value into a `SinkEntry`: target stream,
 * partition key (the value's own, else the partitioner's), explicit hash
 * key, bytes, and its size counted once (data + UTF-8 key). Throws an
 * `InvalidRecordError` naming the field for anything Kinesis would refuse:
 * data that is not bytes or a string, a key that is empty or over 256
 * characters, a bad explicit hash key, a record over 1 MiB.
 *
 * The value's `stream` is its target, except on a record read by
 * `fromKinesis` (it has `shardId` and `sequenceNumber`): there `stream` names
 * where it came from, so the sink's own `stream` is used — that is what makes
 * `fromKinesis(a).subscribe(toKinesis(b))` a copy from `a` to `b`.
 *
 * ## Example
 * ```ts
 * import { resolveSinkConfig, toSinkEntry } from 'rx-kinesis';
 * const entry = toSinkEntry(resolveSinkConfig({ stream: 'out' }))({ data: 'hi', partitionKey: 'k' });
 * entry.size; // 3
 * ```
 */
export function toSinkEntry<T extends SinkInput>(
  config: ResolvedSinkConfig<T>,
): (value: T) => SinkEntry<T> {
  const random = config.partitioner === 'random' && config.partitionBy === undefined;
  const partitioner: (value: T) => string =
    config.partitionBy !== undefined
      ? fieldsPartitioner(config.partitionBy, config.partitionerFieldDelimiter)
      : config.partitioner === 'random'
        ? randomPartitioner(config.random)
        : config.partitioner === 'fixed'
          ? fixedPartitioner(undefined, config.random)
          : config.partitioner;
  const hashKeyOf = config.explicitHashKey;
  const defaultStream = config.stream;
  const region = config.client.region;

  return (value) => {
    if (typeof value !== 'object' || value === null) {
      throw new InvalidRecordError('record', value, 'an object with a data field', value);
    }
    const raw = value.data;
    let data: Uint8Array;
    if (raw instanceof Uint8Array) data = raw;
    else if (typeof raw === 'string') data = encoder.encode(raw);
    else throw new InvalidRecordError('record.data', raw, 'a Uint8Array or a string', value);

    let stream = defaultStream;
    const own = value.stream;
    if (own !== undefined && !isReadRecord(value)) {
      if (typeof own !== 'string' || own.length === 0) {
        throw new InvalidRecordError('record.stream', own, 'a non-empty stream name', value);
      }
      if (looksLikeArn(own)) checkArn(own, region, value);
      stream = own;
    }

    const ownKey = value.partitionKey;
    const partitionKey = ownKey !== undefined ? ownKey : partitioner(value);
    if (
      typeof partitionKey !== 'string' ||
      partitionKey.length === 0 ||
      partitionKey.length > MAX_PARTITION_KEY_LENGTH
    ) {
      throw new InvalidRecordError(
        'record.partitionKey',
        partitionKey,
        'a partition key of 1 to 256 characters',
        value,
      );
    }

    const explicitHashKey =
      value.explicitHashKey !== undefined
        ? value.explicitHashKey
        : hashKeyOf !== undefined
          ? hashKeyOf(value)
          : undefined;
    if (explicitHashKey !== undefined && !isHashKey(explicitHashKey)) {
      throw new InvalidRecordError(
        'record.explicitHashKey',
        explicitHashKey,
        'a decimal integer from 0 to 2^128-1',
        value,
      );
    }

    const size = data.length + utf8Length(partitionKey);
    if (size > MAX_RECORD_BYTES) {
      throw new InvalidRecordError(
        'record.data',
        data,
        `at most 1 MiB (1048576 bytes) of data and partition key, this record has ${size}`,
        value,
      );
    }
    return {
      value,
      stream,
      partitionKey,
      explicitHashKey,
      data,
      size,
      // With an explicit hash key the record's shard is that hash, not its key: aggregation must
      // group it by the hash key and keep it per sub-record, not repack it under a new random key
      // (that sent it to the first record's shard and dropped its hash key for the KCL).
      randomKey: random && ownKey === undefined && explicitHashKey === undefined,
      members: undefined,
      ack: undefined,
      receivedAt: 0,
      rejected: false,
    };
  };
}

/** A record's own stream ARN must be well-formed and in the client's region. */
function checkArn(arn: string, region: string | undefined, value: unknown): void {
  const parts = parseStreamArn(arn);
  if (parts === undefined) {
    throw new InvalidRecordError('record.stream', arn, STREAM_ARN_EXPECTED, value);
  }
  if (region !== undefined && parts.region !== region) {
    throw new InvalidRecordError(
      'record.stream',
      arn,
      `a stream ARN in region ${region} (the sink's client is for that region)`,
      value,
    );
  }
}

function isReadRecord(value: object): boolean {
  return (
    typeof (value as { shardId?: unknown }).shardId === 'string' &&
    typeof (value as { sequenceNumber?: unknown }).sequenceNumber === 'string'
  );
}

function isHashKey(key: unknown): boolean {
  if (typeof key !== 'string' || !DECIMAL.test(key)) return false;
  return key.length < MAX_HASH_KEY.length || key <= MAX_HASH_KEY;
}

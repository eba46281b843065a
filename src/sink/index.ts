// Barrel of src/sink (and the KPL wire format in src/kpl): re-exports only.
export { toKinesis, SinkAbortedError } from './toKinesis.js';
export type { KinesisSink } from './toKinesis.js';
export { mapSinkInput } from './mapSinkInput.js';
export { writeToKinesis } from './writeToKinesis.js';
export type { KinesisWriter, SinkSummary } from './writeToKinesis.js';
export type { SinkAck, SinkEntry, SinkInput } from './SinkInput.js';
export { DEFAULT_AGGREGATION, SinkConfigCodec, resolveSinkConfig } from './SinkConfig.js';
export type { ResolvedSinkConfig, SinkConfig } from './SinkConfig.js';
export { toSinkEntry, MAX_PARTITION_KEY_LENGTH, MAX_RECORD_BYTES } from './toSinkEntry.js';
export { randomPartitioner } from './randomPartitioner.js';
export { fixedPartitioner } from './fixedPartitioner.js';
export { fieldsPartitioner } from './fieldsPartitioner.js';
export { batchRecords } from './batchRecords.js';
export type { Batch, BatchOptions } from './batchRecords.js';
export { aggregateRecords } from './aggregateRecords.js';
export type { AggregationOptions } from './aggregateRecords.js';
export { putRecordsWithRetry } from './putRecordsWithRetry.js';
export type { PutEntry, PutRecordsOutcome, PutRecordsRetryOptions } from './putRecordsWithRetry.js';
export { PutRecordsError } from './PutRecordsError.js';
export type { PutRecordsFailure } from './PutRecordsError.js';
export { InvalidRecordError } from './InvalidRecordError.js';
export { RecordExpiredError } from './RecordExpiredError.js';
export { partitionHash } from './partitionHash.js';
export { TokenBucket } from './TokenBucket.js';
export { ShardMap } from './ShardMap.js';
export { ShardMaps, SHARD_MAP_MIN_REFRESH_MS, SHARD_MAP_REFRESH_MS } from './ShardMaps.js';
export type { ShardMapsOptions } from './ShardMaps.js';
export {
  ShardRateLimiter,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from './ShardRateLimiter.js';
export type {
  Admission,
  AdmissionEntry,
  BatchAdmission,
  PutAdmission,
} from './ShardRateLimiter.js';
export { AckQueue } from './AckQueue.js';
export { keyLane } from './keyLane.js';

// KPL aggregated record format
export { AggregatedRecordBuilder } from '../kpl/AggregatedRecordBuilder.js';
export type { AggregatedEntry } from '../kpl/AggregatedRecordBuilder.js';
export { encodeAggregatedRecord } from '../kpl/encodeAggregatedRecord.js';
export { decodeAggregatedRecord } from '../kpl/decodeAggregatedRecord.js';
export type { AggregatedSubRecord } from '../kpl/decodeAggregatedRecord.js';
export { KPL_MAGIC, hasKplMagic } from '../kpl/aggregatedRecordFormat.js';
export { utf8Length } from '../kpl/utf8Length.js';

// Barrel of src/source: re-exports only.
export { fromKinesis } from './fromKinesis.js';
export { readKinesis } from './readKinesis.js';
export { kinesisBatches } from './kinesisBatches.js';
export { SourceConfig, StreamName, resolveSourceConfig } from './SourceConfig.js';
export type { ResolvedSourceConfig } from './SourceConfig.js';
export {
  DEFAULT_DISCOVERY_INTERVAL_MS,
  discoverShards,
  toDiscoveredShard,
} from './discoverShards.js';
export type { DiscoverShardsOptions } from './discoverShards.js';
export { assignShards, assignmentPredicate } from './assignShards.js';
export type { ShardAssignment } from './assignShards.js';
export { uniformShardAssigner } from './uniformShardAssigner.js';
export type { ShardAssigner } from './uniformShardAssigner.js';
export { orderShards } from './orderShards.js';
export type { OrderShardsOptions } from './orderShards.js';
export {
  DEFAULT_MAX_RECORDS,
  DEFAULT_POLL_INTERVAL_MS,
  MIN_GET_RECORDS_SPACING_MS,
  pollShard,
} from './pollShard.js';
export type { PollingOptions, ShardRecordsBuilder, ShardRecordsFactory } from './pollShard.js';
export {
  CALL_WINDOW_MS,
  MAX_GET_RECORDS_PER_SECOND,
  READ_BYTES_PER_SECOND,
  callGate,
} from './callGate.js';
export { throughCallGate } from './throughCallGate.js';
export type { ShardCallGate } from './callGate.js';
export { gateSdkAttempts } from './gateSdkAttempts.js';
export { pollingStrategy } from './pollingStrategy.js';
export { pausedReader } from './pausedReader.js';
export { readShards } from './readShards.js';
export type { ReadShardsOptions, ShardOutput } from './readShards.js';
export { flattenBatches } from './flattenBatches.js';
export { flattenRecords } from './flattenRecords.js';
export { deaggregate } from './deaggregate.js';
export type { RawRecord, UserRecord } from './deaggregate.js';
export type { FetchReport, ReaderStrategy } from './ShardReader.js';
export { subscribeShard, DEFAULT_CLOSED_SHARD_CHECK_MS } from './subscribeShard.js';
export type { FanOutOptions } from './subscribeShard.js';
export { efoStrategy, EfoConfig } from './efo/efoStrategy.js';
export { streamConsumer, streamArnOf } from './efo/streamConsumer.js';
export { deregisterConsumer } from './efo/deregisterConsumer.js';
export type { ConsumerToDeregister } from './efo/deregisterConsumer.js';
export { adaptiveReads, adaptiveBatchSize, SHARD_READ_BYTES_PER_SECOND } from './adaptiveReads.js';
export { ShardRecordBuilder } from './ShardRecordBuilder.js';
export { childShardOf } from './DiscoveredShard.js';
export { fetchReportOf } from './fetchReportOf.js';

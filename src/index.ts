// Public API: re-exports only. Nothing Node-only here (see src/node/).
export type { KinesisRecord, ShardRecord } from './record.js';

// client
export type { KinesisPort } from './client/KinesisPort.js';
export { sendCommand } from './client/sendCommand.js';
export type { RequestTimeout } from './client/sendCommand.js';
export { RequestTimeoutError } from './client/RequestTimeoutError.js';
export {
  StreamArn,
  StreamRef,
  STREAM_ARN_EXPECTED,
  looksLikeArn,
  orStreamArn,
  parseStreamArn,
  streamNameOf,
  streamTarget,
} from './client/StreamArn.js';
export type { StreamArnParts } from './client/StreamArn.js';
export { clientRegionFor } from './client/clientRegionFor.js';
export type { StreamAt } from './client/clientRegionFor.js';
export { createKinesisClient } from './client/createKinesisClient.js';
export {
  fetchKinesisClient,
  type FetchKinesisClient,
  type FetchKinesisClientSettings,
} from './client/fetchKinesisClient.js';
export { classifyError } from './client/classifyError.js';
export type { ErrorClass } from './client/classifyError.js';
export { BackoffPolicy, DEFAULT_BACKOFF, fullJitterDelay } from './client/BackoffPolicy.js';
export type { BackoffApi } from './client/BackoffPolicy.js';
export { retryWithBackoff } from './client/retryWithBackoff.js';
export type { RetryOptions } from './client/retryWithBackoff.js';
export {
  ConfigError,
  KinesisCallError,
  ShardReadError,
  StreamNotFoundError,
} from './client/errors.js';

// config
export { decodeConfig } from './config/decodeConfig.js';
export { ClientConfig, HttpProtocol, StaticCredentials } from './config/ClientConfig.js';

// checkpoint
export {
  CheckpointState,
  PinnedStart,
  ShardCheckpoint,
  emptyCheckpointState,
  shardKey,
} from './checkpoint/CheckpointState.js';
export type { CheckpointLoadOptions, CheckpointStore } from './checkpoint/CheckpointStore.js';
export { CheckpointStoreCodec } from './checkpoint/CheckpointStore.js';
export { CheckpointLoadError } from './checkpoint/CheckpointLoadError.js';
export type { CheckpointProblem } from './checkpoint/CheckpointLoadError.js';
export { CheckpointSaveError } from './checkpoint/CheckpointSaveError.js';
export { decodeStoredCheckpoint } from './checkpoint/decodeStoredCheckpoint.js';
export { parseStoredCheckpoint } from './checkpoint/parseStoredCheckpoint.js';
export {
  DEFAULT_CHECKPOINT_TABLE_BACKOFF,
  DYNAMODB_ITEM_LIMIT,
  DynamoDBCheckpointStoreSettings,
  dynamoDBCheckpointStore,
} from './checkpoint/dynamoDBCheckpointStore.js';
export type { DynamoDBCheckpointStore } from './checkpoint/dynamoDBCheckpointStore.js';
export { CHECKPOINT_ATTRIBUTES } from './checkpoint/CheckpointTable.js';
export { CheckpointTableError } from './checkpoint/CheckpointTableError.js';
export { CheckpointTooLargeError } from './checkpoint/CheckpointTooLargeError.js';
export { StaleCheckpointError } from './checkpoint/StaleCheckpointError.js';
export { memoryCheckpointStore } from './checkpoint/memoryCheckpointStore.js';
export { loadCheckpoint } from './checkpoint/loadCheckpoint.js';
export {
  DEFAULT_PERSIST_INTERVAL_MS,
  persistCheckpoints,
} from './checkpoint/persistCheckpoints.js';
export type { PersistCheckpointsOptions } from './checkpoint/persistCheckpoints.js';
export { advanceCheckpoint } from './checkpoint/advanceCheckpoint.js';
export { checkpoints } from './checkpoint/checkpoints.js';
export { pinStart, pinStarts } from './checkpoint/pinStarts.js';
export { isFinishedIn, startPositionFor } from './checkpoint/startPositionFor.js';
export type { ShardStart } from './checkpoint/startPositionFor.js';

// DynamoDB (checkpoint stores, lease tables)
export type { DynamoDBPort } from './dynamodb/DynamoDBPort.js';
export { DynamoDBPortCodec, DynamoDBSettings } from './dynamodb/DynamoDBSettings.js';
export { createDynamoDBClient } from './dynamodb/createDynamoDBClient.js';

// source
export {
  InitialPosition,
  DEFAULT_TIMESTAMP_FORMAT,
  resolveInitialPosition,
} from './source/InitialPosition.js';
export type { ResolvedInitialPosition } from './source/InitialPosition.js';
export type { DiscoveredShard } from './source/DiscoveredShard.js';
export type { StartPosition } from './source/StartPosition.js';
export type {
  KinesisEvent,
  ShardBatch,
  ShardRecordEvent,
  ShardEvent,
  ShardFinished,
  ShardStarted,
} from './source/ShardEvent.js';
export { isShardEvent } from './source/ShardEvent.js';
export type { ShardReader, ShardReaderContext } from './source/ShardReader.js';
export { SHARD_CONTEXT, shardContextOf, shardRecordPrototype } from './source/shardContext.js';
export type { ShardContext } from './source/shardContext.js';

// Each part's own barrel (one owner each).
export * from './source/index.js';
export * from './sink/index.js';
export * from './time/index.js';
export * from './format/index.js';
export * from './dynamodbstreams/index.js';
export * from './config/index.js';
export * from './flink/index.js';
export * from './metrics/index.js';
export * from './lease/index.js';

// DynamoDB Streams source: re-exports only (browser-safe).
export type {
  DynamoDBEventName,
  DynamoDBItem,
  DynamoDBStreamRecord,
} from './DynamoDBStreamRecord.js';
export type { DynamoDBStreamsPort } from './DynamoDBStreamsPort.js';
export {
  DEFAULT_DYNAMODB_STREAMS_POLL_INTERVAL_MS,
  DYNAMODB_STREAMS_CALL_LIMITS,
  DynamoDBStreamsConfig,
  StreamArn,
  TableName,
  resolveDynamoDBStreamsConfig,
} from './DynamoDBStreamsConfig.js';
export type { ResolvedDynamoDBStreamsConfig } from './DynamoDBStreamsConfig.js';
export { createDynamoDBStreamsClient } from './createDynamoDBStreamsClient.js';
export {
  DESCRIBE_STREAM_MAX_LIMIT,
  DYNAMODB_STREAMS_MAX_RECORDS,
  dynamoDBStreamsAsKinesis,
} from './dynamoDBStreamsAsKinesis.js';
export { streamRecords } from './streamRecords.js';
export type { WrapNumbers } from './streamRecords.js';
export { resolveStreamArn } from './resolveStreamArn.js';
export { dynamoDBStreamsBatches } from './dynamoDBStreamsBatches.js';
export { fromDynamoDBStreams } from './fromDynamoDBStreams.js';
export { readDynamoDBStreams } from './readDynamoDBStreams.js';
export { latestAtFirstStart } from './latestAtFirstStart.js';
export type { LatestAtFirstStart } from './latestAtFirstStart.js';
export {
  DYNAMODB_STREAMS_OPTION_GROUPS,
  DYNAMODB_STREAMS_OPTION_ROWS,
} from './dynamoDBStreamsOptionSpecs.js';
export type { DynamoDBStreamsOptionFamily } from './dynamoDBStreamsOptionSpecs.js';
export { dynamoDBStreamsConfigFromFlinkOptions } from './dynamoDBStreamsConfigFromFlinkOptions.js';
export type { DynamoDBStreamsOptionWarning } from './dynamoDBStreamsConfigFromFlinkOptions.js';

export { FakeKinesis, hashOf, kinesisError } from './FakeKinesis.js';
export type {
  FakeCall,
  FakeKinesisOptions,
  FakeRecord,
  FakeShard,
  FaultHook,
} from './FakeKinesis.js';
export type { FakeThrottleCounts, FakeThroughput, FakeThroughputCommand } from './FakeKinesis.js';
export { AWS_LIMITS, FakeLimitsCodec, FakeLimitsOptionCodec, fakeLimitsOf } from './FakeLimits.js';
export type { FakeLimits, FakeLimitsOption } from './FakeLimits.js';
export { SyncAnswer } from './syncAnswer.js';
export { FakeFanOut } from './FakeFanOut.js';
export type { FakeFanOutOptions } from './FakeFanOut.js';
export { FakeDynamoDB, dynamoDBError } from './FakeDynamoDB.js';
export type { DynamoDBFaultHook, FakeDynamoDBCall, FakeDynamoDBOptions } from './FakeDynamoDB.js';

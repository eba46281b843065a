export { FakeKinesis, hashOf, kinesisError } from './FakeKinesis.js';
export type {
  FakeCall,
  FakeKinesisOptions,
  FakeRecord,
  FakeShard,
  FaultHook,
} from './FakeKinesis.js';
export { SyncAnswer } from './syncAnswer.js';
export { FakeFanOut } from './FakeFanOut.js';
export type { FakeFanOutOptions } from './FakeFanOut.js';
export { FakeDynamoDB, dynamoDBError } from './FakeDynamoDB.js';
export type { DynamoDBFaultHook, FakeDynamoDBCall, FakeDynamoDBOptions } from './FakeDynamoDB.js';

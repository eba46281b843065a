import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * The narrow port the checkpoint stores and leases talk to DynamoDB through:
 * `send(command, { abortSignal })`, exactly the shape of `DynamoDBClient.send`.
 * A real `DynamoDBClient` is one; so is the in-memory twin of `rx-kinesis/testing`.
 */
export interface DynamoDBPort {
  send: DynamoDBClient['send'];
}

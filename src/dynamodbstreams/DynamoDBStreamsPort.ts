import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';

/**
 * The narrow port the DynamoDB Streams source talks through:
 * `send(command, { abortSignal })`, exactly the shape of
 * `DynamoDBStreamsClient.send`. A real client is one; so is a test fake.
 */
export interface DynamoDBStreamsPort {
  send: DynamoDBStreamsClient['send'];
}

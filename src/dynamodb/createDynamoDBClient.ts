import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdkClientSettings } from '../client/sdkClientSettings.js';
import type { DynamoDBPort } from './DynamoDBPort.js';
import type { DynamoDBSettings } from './DynamoDBSettings.js';

/**
 * The DynamoDB port a setting asks for: its `client` if it has one, else a new
 * `DynamoDBClient` for its region, endpoint and credentials. Like the Kinesis
 * clients we create, it does not retry inside the SDK (`maxAttempts: 1`):
 * retries are ours, with our backoff.
 *
 * ## Example
 * ```ts
 * import { createDynamoDBClient } from 'rx-kinesis';
 * const dynamodb = createDynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:8000',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 * ```
 */
export function createDynamoDBClient(settings: DynamoDBSettings): DynamoDBPort {
  if (settings.client !== undefined) return settings.client;
  // the DynamoDB SDK's Node default is HTTP/1.1
  return new DynamoDBClient(sdkClientSettings(settings, 'http1'));
}

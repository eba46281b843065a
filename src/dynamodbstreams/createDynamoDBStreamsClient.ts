import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { sdkClientSettings } from '../client/sdkClientSettings.js';
import type { ClientConfig } from '../config/ClientConfig.js';
import type { DynamoDBStreamsPort } from './DynamoDBStreamsPort.js';

/**
 * A new `DynamoDBStreamsClient` for a region, endpoint and credentials. Like
 * every client this library creates, it does not retry inside the SDK
 * (`maxAttempts: 1`): the retries are ours, with our backoff.
 *
 * ## Example
 * ```ts
 * import { createDynamoDBStreamsClient } from 'rx-kinesis';
 * const streams = createDynamoDBStreamsClient({ region: 'eu-west-1' });
 * ```
 *
 * @param settings region, endpoint, credentials, HTTP protocol
 * @returns the client, as the port the source uses
 */
export function createDynamoDBStreamsClient(
  settings: Omit<ClientConfig, 'client'>,
): DynamoDBStreamsPort {
  return new DynamoDBStreamsClient(sdkClientSettings(settings, 'http1'));
}

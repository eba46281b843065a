import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
// Swapped for ../client/browserRequestHandler.js in browser bundles (package.json "browser").
import { requestHandlerFor } from '../node/nodeRequestHandler.js';
// Swapped for ../config/browserCredentialProvider.js in browser bundles (package.json "browser").
import { credentialProviderFor } from '../node/credentialProviderFor.js';
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
  const protocol =
    settings.httpProtocol ?? (settings.endpoint?.startsWith('http://') === true ? 'http1' : 'auto');
  const trustAll = settings.trustAllCertificates === true;
  const requestHandler =
    protocol === 'auto' && !trustAll
      ? undefined
      : requestHandlerFor({
          protocol: protocol === 'http2' ? 'http2' : 'http1',
          trustAllCertificates: trustAll,
        });
  const credentials =
    settings.credentials === undefined
      ? undefined
      : credentialProviderFor(settings.credentials, {
          ...(settings.region !== undefined ? { region: settings.region } : {}),
        });
  return new DynamoDBClient({
    maxAttempts: 1,
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(requestHandler !== undefined ? { requestHandler } : {}),
  });
}

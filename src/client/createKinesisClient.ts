import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ClientConfig } from '../config/ClientConfig.js';
import type { KinesisPort } from './KinesisPort.js';
// Swapped for ../client/browserRequestHandler.js in browser bundles (package.json "browser").
import { requestHandlerFor } from '../node/nodeRequestHandler.js';
// Swapped for ../config/browserCredentialProvider.js in browser bundles (package.json "browser").
import { credentialProviderFor } from '../node/credentialProviderFor.js';

/**
 * The port a config asks for: its `client` if it has one, else a new
 * `KinesisClient` for its region, endpoint, credentials and protocol.
 * An `http://` endpoint speaks HTTP/1.1 unless `httpProtocol` says otherwise.
 * The client does not retry inside the SDK (`maxAttempts: 1`): every retry is
 * ours (full-jitter backoff, `backoff.*.maxRetries` counts real calls, per-shard
 * GetRecords spacing). `trustAllCertificates` applies to every protocol; with
 * `'auto'` it gives the SDK's own default for Node, HTTP/2, that accepts any
 * certificate.
 *
 * ## Example
 * ```ts
 * import { createKinesisClient } from 'rx-kinesis';
 * const client = createKinesisClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4567',
 *   credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 * ```
 */
export function createKinesisClient(config: ClientConfig): KinesisPort {
  if (config.client !== undefined) return config.client;
  const protocol =
    config.httpProtocol ?? (config.endpoint?.startsWith('http://') === true ? 'http1' : 'auto');
  const trustAll = config.trustAllCertificates === true;
  // 'auto' is the SDK's default handler (HTTP/2 in Node); only trusting all certificates needs our own.
  const requestHandler =
    protocol === 'auto' && !trustAll
      ? undefined
      : requestHandlerFor({
          protocol: protocol === 'auto' ? 'http2' : protocol,
          trustAllCertificates: trustAll,
        });
  const credentials =
    config.credentials === undefined
      ? undefined
      : credentialProviderFor(config.credentials, {
          ...(config.region !== undefined ? { region: config.region } : {}),
        });
  return new KinesisClient({
    maxAttempts: 1,
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(requestHandler !== undefined ? { requestHandler } : {}),
  });
}

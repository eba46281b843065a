import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ClientConfig } from '../config/ClientConfig.js';
import type { KinesisPort } from './KinesisPort.js';
import { sdkClientSettings } from './sdkClientSettings.js';

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
  // the Kinesis SDK's Node default is HTTP/2 (SubscribeToShard needs it on AWS)
  return new KinesisClient(sdkClientSettings(config, 'http2'));
}

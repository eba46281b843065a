import type { ClientConfig } from '../config/ClientConfig.js';
import { fetchKinesisClient } from './fetchKinesisClient.js';
import type { KinesisPort } from './KinesisPort.js';
import { sdkClientSettings } from './sdkClientSettings.js';

/**
 * Browser twin of `createKinesisClient` (swapped in by the package's
 * `browser` field): the config's `client` if it has one, else a
 * `fetchKinesisClient` for its region, endpoint and credentials, whose
 * fallback for the commands it does not speak (EFO's SubscribeToShard) is a
 * `KinesisClient` with the same settings, loaded on first use.
 *
 * ## Example
 * ```ts
 * import { createKinesisClient } from 'rx-kinesis';
 * const client = createKinesisClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
 * ```
 */
export function createKinesisClient(config: ClientConfig): KinesisPort {
  if (config.client !== undefined) return config.client;
  const settings = sdkClientSettings(config, 'http2');
  return fetchKinesisClient({
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(settings.endpoint !== undefined ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
    fallback: () =>
      import('./newKinesisClient.js').then(({ newKinesisClient }) => newKinesisClient(settings)),
  });
}

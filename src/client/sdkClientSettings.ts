import type { ClientConfig } from '../config/ClientConfig.js';
// Swapped for ../client/browserRequestHandler.js in browser bundles (package.json "browser").
import { requestHandlerFor } from '../node/nodeRequestHandler.js';
// Swapped for ../config/browserCredentialProvider.js in browser bundles (package.json "browser").
import { credentialProviderFor } from '../node/credentialProviderFor.js';

/**
 * The settings of an AWS SDK client we create (Kinesis, DynamoDB) from our
 * client config: region, endpoint, credentials, request handler, and no
 * retries inside the SDK (`maxAttempts: 1`: the retries are ours). An
 * `http://` endpoint speaks HTTP/1.1 unless `httpProtocol` says otherwise;
 * `'auto'` is the SDK's own default handler (`autoProtocol` names it), unless
 * all certificates are to be trusted, which needs a handler of ours.
 */
export function sdkClientSettings(
  config: Omit<ClientConfig, 'client'>,
  autoProtocol: 'http1' | 'http2',
): {
  maxAttempts: 1;
  region?: string;
  endpoint?: string;
  credentials?: ReturnType<typeof credentialProviderFor>;
  requestHandler?: NonNullable<ReturnType<typeof requestHandlerFor>>;
} {
  const protocol =
    config.httpProtocol ?? (config.endpoint?.startsWith('http://') === true ? 'http1' : 'auto');
  const trustAll = config.trustAllCertificates === true;
  const requestHandler =
    protocol === 'auto' && !trustAll
      ? undefined
      : requestHandlerFor({
          protocol: protocol === 'auto' ? autoProtocol : protocol,
          trustAllCertificates: trustAll,
        });
  const credentials =
    config.credentials === undefined
      ? undefined
      : credentialProviderFor(config.credentials, {
          ...(config.region !== undefined ? { region: config.region } : {}),
        });
  return {
    maxAttempts: 1,
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.endpoint !== undefined ? { endpoint: config.endpoint } : {}),
    ...(credentials !== undefined ? { credentials } : {}),
    ...(requestHandler !== undefined && requestHandler !== null ? { requestHandler } : {}),
  };
}

import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
// Swapped for ./browserRequestHandler.js in browser bundles (package.json "browser").
import { requestHandlerFor } from '../node/nodeRequestHandler.js';

/**
 * A full `KinesisClient`: the module the fetch client loads with a dynamic
 * `import()` for the commands it does not speak. A module of its own, so a
 * bundler splits out just the client (importing the SDK package itself
 * dynamically would pull all of it into the page's first chunk).
 *
 * Without a `requestHandler`, an `http://` endpoint gets HTTP/1.1, as
 * `createKinesisClient` gives it: the SDK's Node default is HTTP/2, which
 * kinesalite does not speak and kinesis-local speaks unreliably. In a browser
 * the handler is the SDK's own (fetch) whatever the endpoint.
 */
export function newKinesisClient(settings: KinesisClientConfig): KinesisClient {
  const plainHttp =
    settings.requestHandler === undefined &&
    typeof settings.endpoint === 'string' &&
    settings.endpoint.startsWith('http://');
  const requestHandler = plainHttp
    ? requestHandlerFor({ protocol: 'http1', trustAllCertificates: false })
    : undefined;
  return new KinesisClient(
    requestHandler !== undefined ? { ...settings, requestHandler } : settings,
  );
}

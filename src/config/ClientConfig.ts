import * as t from 'io-ts';
import { intersectionCodec } from './intersectionCodec.js';
import { partialCodec } from './partialCodec.js';
import { typeCodec } from './typeCodec.js';
import { unionCodec } from './unionCodec.js';
import type { KinesisPort } from '../client/KinesisPort.js';

import { NonEmptyString as nonEmptyString } from './NonEmptyString.js';
export { NonEmptyString } from './NonEmptyString.js';

import { EndpointUrl } from './EndpointUrl.js';
export { EndpointUrl } from './EndpointUrl.js';
import { CredentialsConfig } from './CredentialsConfig.js';
import { validateAs } from './strictObject.js';

/** Static credentials. */
export const StaticCredentials = intersectionCodec([
  typeCodec({ accessKeyId: nonEmptyString, secretAccessKey: nonEmptyString }),
  partialCodec({ sessionToken: t.string }),
]);
export type StaticCredentials = t.TypeOf<typeof StaticCredentials>;

/** A credential provider function, as the AWS SDK takes it. */
export type CredentialProvider = () => Promise<StaticCredentials>;
export const CredentialProviderFn = new t.Type<CredentialProvider, CredentialProvider, unknown>(
  'a credentials provider function',
  (u): u is CredentialProvider => typeof u === 'function',
  (u, c) => (typeof u === 'function' ? t.success(u as CredentialProvider) : t.failure(u, c)),
  t.identity,
);

/**
 * What `credentials` accepts: static keys, a provider function, or a
 * credential kind (an object with a `type`, see `CredentialsConfig`). An
 * object with a `type` is judged as a credential kind only, so its errors
 * are about that kind.
 */
export const ClientCredentials = new t.Type<
  StaticCredentials | CredentialProvider | CredentialsConfig,
  unknown,
  unknown
>(
  'static credentials, a provider function or a credentials kind',
  (u): u is StaticCredentials | CredentialProvider | CredentialsConfig =>
    CredentialProviderFn.is(u) || CredentialsConfig.is(u) || StaticCredentials.is(u),
  (u, c) => {
    if (typeof u === 'function') return validateAs(CredentialProviderFn, u, c);
    if (typeof u === 'object' && u !== null && 'type' in u)
      return validateAs(CredentialsConfig, u, c);
    return validateAs(StaticCredentials, u, c);
  },
  t.identity,
);

/** `http1` (default for http:// endpoints), `http2` (needed by real AWS for SubscribeToShard), or the SDK's own default. */
export const HttpProtocol = unionCodec([t.literal('http1'), t.literal('http2'), t.literal('auto')]);
export type HttpProtocol = t.TypeOf<typeof HttpProtocol>;

const isPort = (u: unknown): u is KinesisPort =>
  typeof u === 'object' && u !== null && typeof (u as { send?: unknown }).send === 'function';
/** A ready client: anything with `send(command, options)`, e.g. a `KinesisClient`. */
export const KinesisPortCodec = new t.Type<KinesisPort, KinesisPort, unknown>(
  'a KinesisClient (an object with a send method)',
  isPort,
  (u, c) => (isPort(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/** How to reach Kinesis: shared by source and sink configs. */
export const ClientConfig = partialCodec({
  region: nonEmptyString,
  endpoint: EndpointUrl,
  /**
   * Static keys, a provider function, or a credential kind
   * (`{ type: 'PROFILE', name: 'dev' }`, see `CredentialsConfig`).
   */
  credentials: ClientCredentials,
  /**
   * A ready client (a `KinesisClient`, or any `send(command, { abortSignal })`)
   * used instead of one made from the fields above. Create it with
   * `maxAttempts: 1` (`new KinesisClient({ region, maxAttempts: 1 })`): retries
   * are ours, and only then does `backoff.*.maxRetries` count real calls. With
   * SDK retries left on, each of our attempts may become several; GetRecords
   * still keeps the per-shard limit (each SDK attempt waits for the shard's
   * call gate, through a middleware on the command, not on your client).
   */
  client: KinesisPortCodec,
  httpProtocol: HttpProtocol,
  /** Accept self-signed certificates on an https endpoint (Flink's `aws.trust.all.certificates`). Node only. */
  trustAllCertificates: t.boolean,
});
export type ClientConfig = t.TypeOf<typeof ClientConfig>;

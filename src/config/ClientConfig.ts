import * as t from 'io-ts';
import type { KinesisPort } from '../client/KinesisPort.js';

const nonEmptyString = new t.Type<string, string, unknown>(
  'a non-empty string',
  (u): u is string => typeof u === 'string' && u.length > 0,
  (u, c) => (typeof u === 'string' && u.length > 0 ? t.success(u) : t.failure(u, c)),
  t.identity,
);
export const NonEmptyString = nonEmptyString;

/** An `http://` or `https://` URL. */
export const EndpointUrl = new t.Type<string, string, unknown>(
  'an http:// or https:// URL',
  (u): u is string => typeof u === 'string' && /^https?:\/\/[^\s/]+/.test(u),
  (u, c) =>
    typeof u === 'string' && /^https?:\/\/[^\s/]+/.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** Static credentials. */
export const StaticCredentials = t.intersection([
  t.type({ accessKeyId: nonEmptyString, secretAccessKey: nonEmptyString }),
  t.partial({ sessionToken: t.string }),
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

/** `http1` (default for http:// endpoints), `http2` (needed by real AWS for SubscribeToShard), or the SDK's own default. */
export const HttpProtocol = t.union([t.literal('http1'), t.literal('http2'), t.literal('auto')]);
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
export const ClientConfig = t.partial({
  region: nonEmptyString,
  endpoint: EndpointUrl,
  credentials: t.union([StaticCredentials, CredentialProviderFn]),
  client: KinesisPortCodec,
  httpProtocol: HttpProtocol,
  /** Accept self-signed certificates on an https endpoint (Flink's `aws.trust.all.certificates`). Node only. */
  trustAllCertificates: t.boolean,
});
export type ClientConfig = t.TypeOf<typeof ClientConfig>;

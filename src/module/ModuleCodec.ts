import * as t from 'io-ts';
import { EndpointUrl } from '../config/EndpointUrl.js';
import { NonEmptyString } from '../config/NonEmptyString.js';
import { suggestionFor } from '../config/didYouMean.js';
import { strictObject, validateAs } from '../config/strictObject.js';
import { taggedUnion } from '../config/taggedUnion.js';

/** StateFun's `awsRegion`: the default chain, a region id, or a custom endpoint (with its region id). */
export const AwsRegionSpec = taggedUnion('an awsRegion', {
  default: strictObject('a default region', { type: t.literal('default') }, {}),
  specific: strictObject(
    'a specific region',
    { type: t.literal('specific'), id: NonEmptyString },
    {},
  ),
  'custom-endpoint': strictObject(
    'a custom endpoint',
    { type: t.literal('custom-endpoint'), endpoint: EndpointUrl, id: NonEmptyString },
    {
      /** Accept a self-signed certificate on an https endpoint (extension; Node only). */
      trustAllCertificates: t.boolean,
    },
  ),
});
export type AwsRegionSpec = t.TypeOf<typeof AwsRegionSpec>;

/** An `awsCredentials` kind: StateFun's (`default`, `basic`, `profile`) and, as extensions, the rest of Flink's. */
export type AwsCredentialsSpec =
  | { readonly type: 'default' }
  | {
      readonly type: 'basic';
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly sessionToken?: string;
    }
  | { readonly type: 'profile'; readonly profileName?: string; readonly profilePath?: string }
  | { readonly type: 'env-var' }
  | {
      readonly type: 'assume-role';
      readonly roleArn: string;
      readonly sessionName?: string;
      readonly externalId?: string;
      readonly base?: AwsCredentialsSpec;
      readonly stsEndpoint?: string;
    }
  | {
      readonly type: 'web-identity-token';
      readonly tokenFile?: string;
      readonly roleArn?: string;
      readonly sessionName?: string;
      readonly stsEndpoint?: string;
    };

export const AwsCredentialsSpec: t.Type<AwsCredentialsSpec, AwsCredentialsSpec, unknown> =
  t.recursion(
    'an awsCredentials',
    () =>
      taggedUnion(
        'an awsCredentials',
        {
          default: strictObject('default credentials', { type: t.literal('default') }, {}),
          basic: strictObject(
            'basic credentials',
            {
              type: t.literal('basic'),
              accessKeyId: NonEmptyString,
              secretAccessKey: NonEmptyString,
            },
            { sessionToken: NonEmptyString },
          ),
          profile: strictObject(
            'profile credentials',
            { type: t.literal('profile') },
            { profileName: NonEmptyString, profilePath: NonEmptyString },
          ),
          'env-var': strictObject('environment credentials', { type: t.literal('env-var') }, {}),
          'assume-role': strictObject(
            'assume-role credentials',
            { type: t.literal('assume-role'), roleArn: NonEmptyString },
            {
              sessionName: NonEmptyString,
              externalId: NonEmptyString,
              base: AwsCredentialsSpec,
              stsEndpoint: EndpointUrl,
            },
          ),
          'web-identity-token': strictObject(
            'web-identity-token credentials',
            { type: t.literal('web-identity-token') },
            {
              tokenFile: NonEmptyString,
              roleArn: NonEmptyString,
              sessionName: NonEmptyString,
              stsEndpoint: EndpointUrl,
            },
          ),
        },
        {
          'sys-prop':
            'a credential kind that exists outside the JVM: sys-prop reads Java system properties, which a JavaScript process does not have; use env-var, basic or default',
        },
      ) as t.Type<AwsCredentialsSpec, AwsCredentialsSpec, unknown>,
  );

const DateText = new t.Type<string, string, unknown>(
  'a date like 2020-02-01 04:15:00.00 Z',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string' && parseStartupDate(u) !== undefined ? t.success(u) : t.failure(u, c),
  t.identity,
);

/** Parses StateFun's startup date (`yyyy-MM-dd HH:mm:ss.SSS Z`, fraction of 1–9 digits; also ISO-8601). */
export function parseStartupDate(text: string): Date | undefined {
  const m =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})$/.exec(
      text.trim(),
    );
  if (m === null) return undefined;
  const zone = m[4] === 'Z' ? 'Z' : `${(m[4] ?? '').slice(0, 3)}:${(m[4] ?? '').slice(-2)}`;
  const date = new Date(`${m[1]}T${m[2]}.${(m[3] ?? '0').padEnd(3, '0').slice(0, 3)}${zone}`);
  return isNaN(date.getTime()) ? undefined : date;
}

export const StartupPositionSpec = taggedUnion('a startupPosition', {
  latest: strictObject('latest', { type: t.literal('latest') }, {}),
  earliest: strictObject('earliest', { type: t.literal('earliest') }, {}),
  date: strictObject('a date position', { type: t.literal('date'), date: DateText }, {}),
});
export type StartupPositionSpec = t.TypeOf<typeof StartupPositionSpec>;

/** `clientConfigProperties`: a list of one-key maps (Java client settings; accepted and reported as without effect). */
const ClientConfigProperties = t.array(
  t.record(t.string, t.union([t.string, t.number, t.boolean])),
);

const StreamName = new t.Type<string, string, unknown>(
  'a stream name (1-128 characters of a-z, A-Z, 0-9, _ . -)',
  (u): u is string => typeof u === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(u),
  (u, c) =>
    typeof u === 'string' && /^[a-zA-Z0-9_.-]{1,128}$/.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

const FunctionType = new t.Type<string, string, unknown>(
  'a function type namespace/name',
  (u): u is string => typeof u === 'string' && /^[^/\s]+\/[^/\s]+$/.test(u),
  (u, c) =>
    typeof u === 'string' && /^[^/\s]+\/[^/\s]+$/.test(u) ? t.success(u) : t.failure(u, c),
  t.identity,
);

export const IngressStreamSpec = strictObject(
  'an ingress stream { stream, typeUrl, targets }',
  { stream: StreamName, typeUrl: NonEmptyString, targets: t.array(FunctionType) },
  {},
);
export type IngressStreamSpec = t.TypeOf<typeof IngressStreamSpec>;

const NonEmptyStreams = new t.Type<IngressStreamSpec[], IngressStreamSpec[], unknown>(
  'a non-empty list of streams',
  (u): u is IngressStreamSpec[] =>
    Array.isArray(u) && u.length > 0 && u.every(IngressStreamSpec.is),
  (u, c) =>
    Array.isArray(u) && u.length === 0
      ? t.failure(u, c)
      : t.array(IngressStreamSpec).validate(u, c),
  t.identity,
);

export const KinesisIngressSpec = strictObject(
  'a Kinesis ingress spec',
  { streams: NonEmptyStreams },
  {
    awsRegion: AwsRegionSpec,
    awsCredentials: AwsCredentialsSpec,
    startupPosition: StartupPositionSpec,
    clientConfigProperties: ClientConfigProperties,
  },
);
export type KinesisIngressSpec = t.TypeOf<typeof KinesisIngressSpec>;

const PositiveInteger = new t.Type<number, number, unknown>(
  'a positive integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u > 0,
  (u, c) =>
    typeof u === 'number' && Number.isInteger(u) && u > 0 ? t.success(u) : t.failure(u, c),
  t.identity,
);

export const KinesisEgressSpec = strictObject(
  'a Kinesis egress spec',
  {},
  {
    awsRegion: AwsRegionSpec,
    awsCredentials: AwsCredentialsSpec,
    maxOutstandingRecords: PositiveInteger,
    clientConfigProperties: ClientConfigProperties,
    /** Extension: the stream of records that do not name one. */
    stream: StreamName,
  },
);
export type KinesisEgressSpec = t.TypeOf<typeof KinesisEgressSpec>;

/** Ingress type names of StateFun 2 and 3. */
export const INGRESS_TYPES = [
  'statefun.kinesis.io/routable-protobuf-ingress',
  'io.statefun.kinesis.v1/ingress',
];
/** Egress type names of StateFun 2 and 3. */
export const EGRESS_TYPES = ['statefun.kinesis.io/generic-egress', 'io.statefun.kinesis.v1/egress'];

const Meta = strictObject('a meta { type, id }', { type: NonEmptyString, id: FunctionType }, {});

/** `{ meta: { type, id }, spec }` whose spec codec depends on `meta.type`. */
function component<S>(
  name: string,
  types: readonly string[],
  spec: t.Type<S, S, unknown>,
): t.Type<{ meta: { type: string; id: string }; spec: S }, unknown, unknown> {
  const shape = strictObject(name, { meta: Meta, spec }, {});
  return new t.Type<{ meta: { type: string; id: string }; spec: S }, unknown, unknown>(
    name,
    (u): u is { meta: { type: string; id: string }; spec: S } => shape.is(u),
    (u, c) => {
      const type = (u as { meta?: { type?: unknown } } | null)?.meta?.type;
      if (typeof type === 'string' && !types.includes(type)) {
        return t.failure(
          type,
          [
            ...c,
            { key: 'meta', type: Meta, actual: type },
            { key: 'type', type: t.string, actual: type },
          ],
          `one of ${types.join(', ')}${suggestionFor(type, types)}`,
        );
      }
      return validateAs(shape, u, c);
    },
    t.identity,
  );
}

export const IngressComponent = strictObject(
  'an ingress entry',
  { ingress: component('an ingress', INGRESS_TYPES, KinesisIngressSpec) },
  {},
);
export const EgressComponent = strictObject(
  'an egress entry',
  { egress: component('an egress', EGRESS_TYPES, KinesisEgressSpec) },
  {},
);

const Version = new t.Type<string, string, unknown>(
  'version "1.0" or "2.0"',
  (u): u is string => u === '1.0' || u === '2.0',
  (u, c) =>
    u === '1.0' || u === '2.0' || u === 1 || u === 2
      ? t.success(String(u === 1 ? '1.0' : u === 2 ? '2.0' : u))
      : t.failure(u, c),
  t.identity,
);

/** A Stateful Functions module file with Kinesis ingresses and egresses. */
export const ModuleDocument = strictObject(
  'a module document { version, module }',
  {
    version: Version,
    module: strictObject(
      'a module { meta, spec }',
      {
        meta: strictObject('module meta', { type: t.literal('remote') }, {}),
        spec: strictObject(
          'a module spec { ingresses?, egresses? }',
          {},
          { ingresses: t.array(IngressComponent), egresses: t.array(EgressComponent) },
        ),
      },
      {},
    ),
  },
  {},
);
export type ModuleDocument = t.TypeOf<typeof ModuleDocument>;

import * as t from 'io-ts';
import { EndpointUrl } from './EndpointUrl.js';
import { NonEmptyString } from './NonEmptyString.js';
import { recordCodec } from './recordCodec.js';
import { functionCodec, refinedCodec } from './scalarCodecs.js';
import { strictObject } from './strictObject.js';
import { taggedUnion } from './taggedUnion.js';
import { unionCodec } from './unionCodec.js';

/** Why `SYS_PROP` is refused: it reads Java system properties, which JavaScript has no notion of. */
export const SYS_PROP_REASON =
  'a credential kind that exists outside the JVM: SYS_PROP reads the Java system properties ' +
  'aws.accessKeyId / aws.secretKey, which a JavaScript process does not have. Use ENV_VAR ' +
  '(AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), BASIC (keys in the config) or AUTO (the default chain) instead';

const Auto = strictObject('AUTO credentials', { type: t.literal('AUTO') }, {});
const Basic = strictObject(
  'BASIC credentials',
  { type: t.literal('BASIC'), accessKeyId: NonEmptyString, secretAccessKey: NonEmptyString },
  { sessionToken: NonEmptyString },
);
const EnvVar = strictObject('ENV_VAR credentials', { type: t.literal('ENV_VAR') }, {});
const Profile = strictObject(
  'PROFILE credentials',
  { type: t.literal('PROFILE') },
  {
    /** Credentials (or config) file; default `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`). */
    path: NonEmptyString,
    /** Profile name; default `AWS_PROFILE` or `default`. */
    name: NonEmptyString,
  },
);
const StsSettings = {
  /** STS endpoint (for tests or private endpoints); default: STS of `stsRegion`. */
  stsEndpoint: EndpointUrl,
  /** STS region; default: the client's region. */
  stsRegion: NonEmptyString,
};
const WebIdentityToken = strictObject(
  'WEB_IDENTITY_TOKEN credentials',
  { type: t.literal('WEB_IDENTITY_TOKEN') },
  {
    /** Token file; default `AWS_WEB_IDENTITY_TOKEN_FILE`. */
    tokenFile: NonEmptyString,
    /** Role to assume; default `AWS_ROLE_ARN`. */
    roleArn: NonEmptyString,
    /** Session name; default `AWS_ROLE_SESSION_NAME` or a generated one. */
    sessionName: NonEmptyString,
    ...StsSettings,
  },
);

const IDENTITY_POOL_ID = /^[\w-]+:[0-9a-f-]+$/;
/** A Cognito identity pool id: `<region>:<guid>`. */
const IdentityPoolId = refinedCodec(
  'an identity pool id like us-east-1:1699ebc0-7900-4099-b910-2df94f52a030',
  (u): u is string => typeof u === 'string' && IDENTITY_POOL_ID.test(u),
);
/** A login token, or a function that fetches a fresh one (it is called whenever keys are needed). */
const LoginToken = unionCodec([
  NonEmptyString,
  functionCodec<() => Promise<string>>('a token getter () => Promise<string>'),
]);
const Cognito = strictObject(
  'COGNITO credentials',
  { type: t.literal('COGNITO'), identityPoolId: IdentityPoolId },
  {
    /** Region of the identity pool; default: the prefix of `identityPoolId`. */
    region: NonEmptyString,
    /** Identity provider name → token (`'accounts.google.com': idToken`): an authenticated identity. */
    logins: recordCodec(LoginToken),
    /** Role to take when the identity's token maps to several. */
    customRoleArn: NonEmptyString,
    /** Cognito Identity endpoint (tests, private endpoints); default: the region's. */
    cognitoEndpoint: EndpointUrl,
  },
);

/** An `ASSUME_ROLE` credential kind (its `base` may itself assume a role). */
export interface AssumeRoleCredentials {
  readonly type: 'ASSUME_ROLE';
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly externalId?: string;
  /** Credentials used to call STS AssumeRole; default AUTO. */
  readonly base?: CredentialsConfig;
  readonly stsEndpoint?: string;
  readonly stsRegion?: string;
}

/**
 * The credential kinds of Flink's `aws.credentials.provider` (and StateFun's
 * `awsCredentials`), as a tagged union: `AUTO` (the SDK's default chain),
 * `BASIC`, `ENV_VAR`, `PROFILE`, `ASSUME_ROLE` (nested `base`) and
 * `WEB_IDENTITY_TOKEN`, plus `COGNITO` (a Cognito identity pool: the way a
 * browser page gets temporary keys). `SYS_PROP` is refused with its reason (a
 * JVM notion). Resolving all but `AUTO`/`BASIC`/`COGNITO` needs Node (files,
 * STS): in a browser bundle they are a `ConfigError` when the client is created.
 */
export type CredentialsConfig =
  | t.TypeOf<typeof Auto>
  | t.TypeOf<typeof Basic>
  | t.TypeOf<typeof EnvVar>
  | t.TypeOf<typeof Profile>
  | t.TypeOf<typeof WebIdentityToken>
  | t.TypeOf<typeof Cognito>
  | AssumeRoleCredentials;

const AssumeRole: t.Type<AssumeRoleCredentials, AssumeRoleCredentials, unknown> = t.recursion(
  'ASSUME_ROLE credentials',
  () =>
    strictObject(
      'ASSUME_ROLE credentials',
      { type: t.literal('ASSUME_ROLE'), roleArn: NonEmptyString },
      {
        sessionName: NonEmptyString,
        externalId: NonEmptyString,
        base: CredentialsConfig,
        ...StsSettings,
      },
    ),
);

export const CredentialsConfig: t.Type<CredentialsConfig, CredentialsConfig, unknown> = taggedUnion(
  'a credentials kind',
  {
    AUTO: Auto,
    BASIC: Basic,
    ENV_VAR: EnvVar,
    PROFILE: Profile,
    ASSUME_ROLE: AssumeRole,
    WEB_IDENTITY_TOKEN: WebIdentityToken,
    COGNITO: Cognito,
  },
  { SYS_PROP: SYS_PROP_REASON },
);

/** The credential kinds by name. */
export type CredentialsKind = CredentialsConfig['type'];

import { CREDENTIAL_TYPES, credentialsFromOptions } from '../credentialsFromOptions.js';
import { booleanText, choiceText, integerText, stringText } from '../codecs/optionText.js';
import type { OptionRow, OptionRule } from '../OptionRow.js';

/** Where a property map's credential keys start (`AWSConfigConstants.AWS_CREDENTIALS_PROVIDER`). */
export const CREDENTIALS_PREFIX = 'aws.credentials.provider';
const credential = (suffix: string, note: string): OptionRow => ({
  key: `${CREDENTIALS_PREFIX}.${suffix}`,
  codec: stringText(),
  note,
});

/**
 * Flink's `AWSConfigConstants` as properties (the DataStream consumer, the
 * producer and the current connectors share them): region, endpoint, TLS,
 * HTTP, and the credential provider with its sub-keys. Credentials are built
 * by `awsCredentialsRule` (the provider kind decides which sub-keys count).
 */
export const AWS_PROPERTY_ROWS: readonly OptionRow[] = [
  { key: 'aws.region', codec: stringText(true), target: 'region', note: 'client `region`' },
  {
    key: 'aws.endpoint',
    codec: stringText(true),
    target: 'endpoint',
    note: 'client `endpoint` (an http:// endpoint speaks HTTP/1.1)',
  },
  {
    key: 'aws.trust.all.certificates',
    codec: booleanText,
    default: 'false',
    target: 'trustAllCertificates',
    writeDefault: false,
    note: 'client `trustAllCertificates` (Node only)',
  },
  {
    key: 'aws.http.protocol.version',
    codec: choiceText(['HTTP1_1', 'HTTP2'], { HTTP1_1: 'http1', HTTP2: 'http2' }),
    default: 'HTTP2',
    target: 'httpProtocol',
    writeDefault: false,
    note: 'client `httpProtocol` (`http1` / `http2`); without it an http:// endpoint stays HTTP/1.1',
  },
  {
    key: 'aws.http-client.max-concurrency',
    codec: integerText('Integer', 1),
    default: '10000',
    ignored: "the SDK client's own HTTP settings apply",
  },
  {
    key: 'aws.http-client.read-timeout',
    codec: integerText('Integer', 1),
    default: '360000',
    ignored: "the SDK client's own HTTP settings apply",
  },
  {
    key: CREDENTIALS_PREFIX,
    codec: choiceText(CREDENTIAL_TYPES),
    default: 'AUTO',
    note: 'client `credentials.type`; AUTO with both basic keys set means BASIC; SYS_PROP (Java system properties) and CUSTOM (a Java class) are refused',
  },
  credential('basic.accesskeyid', 'client `credentials.accessKeyId` (BASIC)'),
  credential('basic.secretkey', 'client `credentials.secretAccessKey` (BASIC)'),
  credential('profile.path', 'client `credentials.path` (PROFILE)'),
  credential('profile.name', 'client `credentials.name` (PROFILE)'),
  credential('role.arn', 'client `credentials.roleArn` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)'),
  credential(
    'role.sessionName',
    'client `credentials.sessionName` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  ),
  credential('role.externalId', 'client `credentials.externalId` (ASSUME_ROLE)'),
  credential(
    'role.stsEndpoint',
    'client `credentials.stsEndpoint` (ASSUME_ROLE, WEB_IDENTITY_TOKEN)',
  ),
  credential('webIdentityToken.file', 'client `credentials.tokenFile` (WEB_IDENTITY_TOKEN)'),
  {
    key: `${CREDENTIALS_PREFIX}.role.provider`,
    codec: choiceText(CREDENTIAL_TYPES),
    default: 'AUTO',
    note: 'client `credentials.base` (ASSUME_ROLE): the base provider, configured with this key as prefix',
  },
  {
    key: `${CREDENTIALS_PREFIX}.role.provider`,
    prefix: true,
    codec: stringText(),
    note: "the base provider's own keys (`….role.provider.basic.accesskeyid`, `….role.provider.role.arn`, …)",
  },
];

/** Builds client `credentials` from the provider key and its sub-keys. */
export const awsCredentialsRule: OptionRule = (context) => {
  const credentials = credentialsFromOptions(context, CREDENTIALS_PREFIX, CREDENTIALS_PREFIX);
  if (credentials !== undefined && credentials.type !== 'AUTO')
    context.set('credentials', credentials, CREDENTIALS_PREFIX);
};

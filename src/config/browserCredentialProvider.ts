import type { KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { ConfigError } from '../client/errors.js';
import type { CredentialProvider, StaticCredentials } from './ClientConfig.js';
import type { CredentialsConfig } from './CredentialsConfig.js';

/** What `ClientConfig.credentials` holds once decoded. */
export type ClientCredentialsValue = StaticCredentials | CredentialProvider | CredentialsConfig;

/** What the SDK client takes as `credentials`. */
export type SdkCredentials = KinesisClientConfig['credentials'];

/** Settings a credential kind may borrow from the client config. */
export interface CredentialContext {
  /** The client's region: STS calls default to it. */
  readonly region?: string;
}

/**
 * Browser twin of `src/node/credentialProviderFor`: swapped in by the
 * package's `browser` field. A browser has no credential files, environment
 * or STS web-identity files, so only static keys, BASIC, a provider function,
 * COGNITO (an identity pool) and AUTO (the SDK's own browser default) are
 * possible; the rest is a ConfigError that says why.
 */
export function credentialProviderFor(
  credentials: ClientCredentialsValue,
  _context: CredentialContext = {},
  path = 'credentials',
): SdkCredentials {
  if (typeof credentials === 'function') return credentials;
  if (!('type' in credentials)) return credentials;
  switch (credentials.type) {
    case 'AUTO':
      return undefined;
    case 'BASIC':
      return staticOf(credentials);
    case 'COGNITO':
      return lazyCognito(credentials);
    default:
      throw new ConfigError([
        {
          path: `${path}.type`,
          value: credentials.type,
          expected: `a credentials kind that works in a browser (BASIC, COGNITO, static keys or a provider function): ${credentials.type} needs Node (files, environment or STS) — use rx-kinesis from Node, or fetch temporary keys yourself and pass a provider function`,
        },
      ]);
  }
}

type CognitoKind = Extract<CredentialsConfig, { type: 'COGNITO' }>;
type Provider = Extract<NonNullable<SdkCredentials>, (...args: never[]) => unknown>;

/**
 * The COGNITO provider, loaded on first use: a bundler that splits dynamic
 * imports (Rollup, Vite, webpack, esbuild with `splitting`) keeps the Cognito
 * client out of the page's main chunk, so pages that never use it do not pay for it.
 */
function lazyCognito(kind: CognitoKind): Provider {
  let provider: Promise<Provider> | undefined;
  return async (options) => {
    provider ??= import('./cognitoCredentials.js').then((m) => m.cognitoCredentials(kind));
    return (await provider)(options);
  };
}

/** The static keys of a BASIC kind. */
export function staticOf(basic: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}): StaticCredentials {
  return {
    accessKeyId: basic.accessKeyId,
    secretAccessKey: basic.secretAccessKey,
    ...(basic.sessionToken !== undefined ? { sessionToken: basic.sessionToken } : {}),
  };
}

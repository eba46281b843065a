import {
  fromEnv,
  fromIni,
  fromTemporaryCredentials,
  fromTokenFile,
} from '@aws-sdk/credential-providers';
import {
  type ClientCredentialsValue,
  type CredentialContext,
  type SdkCredentials,
  staticOf,
} from '../config/browserCredentialProvider.js';
import type { CredentialsConfig } from '../config/CredentialsConfig.js';
import { cognitoCredentials } from '../config/cognitoCredentials.js';

export type { ClientCredentialsValue, CredentialContext, SdkCredentials };

/**
 * The SDK credentials for a decoded `ClientConfig.credentials`: static keys
 * and provider functions pass through; credential kinds become the
 * `@aws-sdk/credential-providers` provider of the same meaning
 * (`AUTO` → the SDK's default chain, `ENV_VAR` → `fromEnv`, `PROFILE` →
 * `fromIni`, `ASSUME_ROLE` → `fromTemporaryCredentials` over its `base`,
 * `WEB_IDENTITY_TOKEN` → `fromTokenFile`, `COGNITO` → `fromCognitoIdentityPool`).
 * Node only: browser bundles get `config/browserCredentialProvider` through
 * the package's `browser` field.
 *
 * ## Example
 * ```ts
 * import { createKinesisClient } from 'rx-kinesis';
 * const client = createKinesisClient({
 *   region: 'eu-west-1',
 *   credentials: { type: 'ASSUME_ROLE', roleArn: 'arn:aws:iam::123456789012:role/reader',
 *     base: { type: 'PROFILE', name: 'dev' } },
 * });
 * ```
 */
export function credentialProviderFor(
  credentials: ClientCredentialsValue,
  context: CredentialContext = {},
): SdkCredentials {
  if (typeof credentials === 'function') return credentials;
  if (!('type' in credentials)) return credentials;
  return providerForKind(credentials, context);
}

function providerForKind(kind: CredentialsConfig, context: CredentialContext): SdkCredentials {
  switch (kind.type) {
    case 'AUTO':
      // The client's own default chain (env, SSO, web identity, profile, ECS/EC2).
      return undefined;
    case 'BASIC':
      return staticOf(kind);
    case 'ENV_VAR':
      return fromEnv();
    case 'PROFILE':
      return fromIni({
        ...(kind.name !== undefined ? { profile: kind.name } : {}),
        // One file given: read it as both credentials and config file, so a
        // `[name]` and a `[profile name]` section both work and nothing from
        // ~/.aws leaks in.
        ...(kind.path !== undefined ? { filepath: kind.path, configFilepath: kind.path } : {}),
      });
    case 'ASSUME_ROLE': {
      const base = providerForKind(kind.base ?? { type: 'AUTO' }, context);
      return fromTemporaryCredentials({
        params: {
          RoleArn: kind.roleArn,
          ...(kind.sessionName !== undefined ? { RoleSessionName: kind.sessionName } : {}),
          ...(kind.externalId !== undefined ? { ExternalId: kind.externalId } : {}),
        },
        ...(base !== undefined ? { masterCredentials: base } : {}),
        clientConfig: stsClientConfig(kind, context),
      });
    }
    case 'WEB_IDENTITY_TOKEN':
      return fromTokenFile({
        ...(kind.tokenFile !== undefined ? { webIdentityTokenFile: kind.tokenFile } : {}),
        ...(kind.roleArn !== undefined ? { roleArn: kind.roleArn } : {}),
        ...(kind.sessionName !== undefined ? { roleSessionName: kind.sessionName } : {}),
        clientConfig: stsClientConfig(kind, context),
      });
    case 'COGNITO':
      return cognitoCredentials(kind);
  }
}

function stsClientConfig(
  kind: { stsEndpoint?: string; stsRegion?: string },
  context: CredentialContext,
): { region?: string; endpoint?: string } {
  const region = kind.stsRegion ?? context.region;
  return {
    ...(region !== undefined ? { region } : {}),
    ...(kind.stsEndpoint !== undefined ? { endpoint: kind.stsEndpoint } : {}),
  };
}

import { fromCognitoIdentityPool } from '@aws-sdk/credential-provider-cognito-identity';
import type { CredentialsConfig } from './CredentialsConfig.js';

/** The `COGNITO` credential kind. */
export type CognitoCredentials = Extract<CredentialsConfig, { type: 'COGNITO' }>;

/**
 * The provider of a `COGNITO` kind: `fromCognitoIdentityPool` (GetId, then
 * GetCredentialsForIdentity; the function `@aws-sdk/credential-providers`
 * re-exports, imported from its own package because esbuild resolves that
 * collection to its Node build), in the pool's region (the prefix of its id
 * unless `region` says otherwise).
 * Works in a browser and in Node: both credential twins use it. The SDK
 * client keeps the keys until they expire.
 *
 * ## Example
 * ```ts
 * import { toKinesis } from 'rx-kinesis';
 * const sink = toKinesis({
 *   stream: 'clicks',
 *   region: 'eu-west-1',
 *   credentials: { type: 'COGNITO', identityPoolId: 'eu-west-1:1699ebc0-7900-4099-b910-2df94f52a030' },
 * });
 * ```
 */
export function cognitoCredentials(
  kind: CognitoCredentials,
): ReturnType<typeof fromCognitoIdentityPool> {
  const region = kind.region ?? kind.identityPoolId.slice(0, kind.identityPoolId.indexOf(':'));
  return fromCognitoIdentityPool({
    identityPoolId: kind.identityPoolId,
    ...(kind.logins !== undefined ? { logins: kind.logins } : {}),
    ...(kind.customRoleArn !== undefined ? { customRoleArn: kind.customRoleArn } : {}),
    clientConfig: {
      region,
      ...(kind.cognitoEndpoint !== undefined ? { endpoint: kind.cognitoEndpoint } : {}),
    },
  });
}

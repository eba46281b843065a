import type { CredentialsConfig } from '../config/CredentialsConfig.js';
import { SYS_PROP_REASON } from '../config/CredentialsConfig.js';
import { suggestionFor } from '../config/didYouMean.js';

/** What reading credentials needs of an option reader. */
export interface OptionAccess {
  raw(key: string): string | undefined;
  fail(key: string, value: unknown, expected: string): void;
}

/** Flink's credential provider kinds (`CUSTOM`, a Java class, cannot run here). */
export const CREDENTIAL_TYPES = [
  'AUTO',
  'BASIC',
  'ENV_VAR',
  'SYS_PROP',
  'PROFILE',
  'ASSUME_ROLE',
  'WEB_IDENTITY_TOKEN',
] as const;

/** The credential kind configured under a Flink prefix (recursing into `role.provider`). */
export function credentialsFromOptions(
  reader: OptionAccess,
  typeKey: string,
  prefix: string,
): CredentialsConfig | undefined {
  const nested = typeKey.endsWith('.role.provider');
  const key = (suffix: string): string => `${prefix}.${suffix}`;
  const str = (suffix: string): string | undefined => reader.raw(key(suffix));
  const rawType = reader.raw(typeKey) ?? 'AUTO';
  const type = CREDENTIAL_TYPES.find((t) => t === rawType.trim().toUpperCase());
  if (type === undefined) {
    reader.fail(
      typeKey,
      rawType,
      `one of ${CREDENTIAL_TYPES.filter((t) => t !== 'SYS_PROP').join(', ')}${suggestionFor(rawType, CREDENTIAL_TYPES)}`,
    );
    return undefined;
  }
  const accessKeyId = str('basic.accesskeyid');
  const secretKey = str('basic.secretkey');
  const need = (suffix: string, why: string): string | undefined => {
    const value = str(suffix);
    if (value === undefined || value.trim() === '')
      reader.fail(key(suffix), value, `a non-empty string (${why})`);
    return value;
  };
  const sts = (): { stsEndpoint?: string } => {
    const endpoint = str('role.stsEndpoint');
    if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
      reader.fail(key('role.stsEndpoint'), endpoint, 'an http:// or https:// URL');
    return endpoint === undefined ? {} : { stsEndpoint: endpoint };
  };
  switch (type) {
    case 'SYS_PROP':
      reader.fail(typeKey, rawType, SYS_PROP_REASON);
      return undefined;
    case 'AUTO':
      // Flink: AUTO with both basic keys configured means BASIC.
      if (!nested && accessKeyId !== undefined && secretKey !== undefined)
        return { type: 'BASIC', accessKeyId, secretAccessKey: secretKey };
      return { type: 'AUTO' };
    case 'BASIC': {
      const id = need('basic.accesskeyid', 'BASIC credentials');
      const secret = need('basic.secretkey', 'BASIC credentials');
      return { type: 'BASIC', accessKeyId: id ?? '', secretAccessKey: secret ?? '' };
    }
    case 'ENV_VAR':
      return { type: 'ENV_VAR' };
    case 'PROFILE': {
      const path = str('profile.path');
      const name = str('profile.name');
      return {
        type: 'PROFILE',
        ...(path !== undefined ? { path } : {}),
        ...(name !== undefined ? { name } : {}),
      };
    }
    case 'ASSUME_ROLE': {
      const roleArn = need('role.arn', 'ASSUME_ROLE needs the role to assume');
      const sessionName = str('role.sessionName');
      const externalId = str('role.externalId');
      const baseKey = key('role.provider');
      const base = credentialsFromOptions(reader, baseKey, baseKey);
      return {
        type: 'ASSUME_ROLE',
        roleArn: roleArn ?? '',
        ...(sessionName !== undefined ? { sessionName } : {}),
        ...(externalId !== undefined ? { externalId } : {}),
        ...(base !== undefined ? { base } : {}),
        ...sts(),
      };
    }
    case 'WEB_IDENTITY_TOKEN': {
      const tokenFile = str('webIdentityToken.file');
      const roleArn = str('role.arn');
      const sessionName = str('role.sessionName');
      return {
        type: 'WEB_IDENTITY_TOKEN',
        ...(tokenFile !== undefined ? { tokenFile } : {}),
        ...(roleArn !== undefined ? { roleArn } : {}),
        ...(sessionName !== undefined ? { sessionName } : {}),
        ...sts(),
      };
    }
  }
  return undefined;
}

/** What a secret reads as in an error message or a problem's `value`. */
export const REDACTED = '(redacted)';

// secretAccessKey, sessionToken, aws.credentials.basic.secretkey, a YAML module's
// awsCredentials.secretAccessKey, a password, a bare token or Cognito logins (provider tokens):
// the last segment of a path
const SECRET_NAME = /secret|session[-_]?token|password|^token$|^logins$/i;

/** Whether a config path (or an object key) names a secret: `credentials.secretAccessKey`. */
export function isSecretPath(path: string): boolean {
  const last = lastName(path);
  return last !== undefined && SECRET_NAME.test(last);
}

// `...awsCredentials.secretAccessKey (line 17)`, `records[0]`: the last name counts
function lastName(path: string): string | undefined {
  return path
    .replace(/\s*\(.*\)\s*$/, '')
    .split(/[.[\]\s:]+/)
    .filter((s) => s !== '' && !/^\d+$/.test(s))
    .pop();
}

/**
 * A problem's value as it may be shown or kept on an error: a secret's value
 * (by its path) is `(redacted)`, and inside objects every secret-named field
 * is too. Everything else is returned as it is.
 */
export function redactSecrets(path: string, value: unknown): unknown {
  if (value === undefined || value === '') return value;
  if (isSecretPath(path)) return REDACTED;
  // a whole credentials value of the wrong shape: only its known harmless fields are shown
  if (CREDENTIALS.test(lastName(path) ?? '')) return redactCredentials(value, 0);
  return redactFields(value, 0);
}

const CREDENTIALS = /credentials$/i;
// fields of a credentials kind that name things rather than prove them
const HARMLESS = new Set([
  'type',
  'accessKeyId',
  'roleArn',
  'sessionName',
  'name',
  'path',
  'profileName',
  'profilePath',
  'stsEndpoint',
  'tokenFile',
  'region',
]);

function redactCredentials(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value === '' ? value : REDACTED;
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactCredentials(v, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    copy[key] =
      HARMLESS.has(key) && typeof field === 'string' ? field : redactCredentials(field, depth + 1);
  }
  return copy;
}

function redactFields(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    return value.some((v) => typeof v === 'object' && v !== null)
      ? value.map((v) => redactFields(v, depth + 1))
      : value;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const redacted =
      SECRET_NAME.test(key) && field !== undefined && field !== ''
        ? REDACTED
        : redactFields(field, depth + 1);
    if (redacted !== field) {
      copy ??= { ...(value as Record<string, unknown>) };
      copy[key] = redacted;
    }
  }
  return copy ?? value;
}

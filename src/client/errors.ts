import { REDACTED, redactSecrets } from './redactSecrets.js';

/**
 * A configuration value was wrong. Raised before any request is sent.
 * `path` is the config path (`source.initialPosition.timestamp`), `value`
 * what was given, `expected` what would have been accepted. A secret (a
 * secret access key, a session token) is never repeated: its value reads
 * `(redacted)`, in the message and in `problems`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: ReadonlyArray<{ path: string; value: unknown; expected: string }>;
  constructor(problems: ReadonlyArray<{ path: string; value: unknown; expected: string }>) {
    const shown = problems.map((p) => ({ ...p, value: redactSecrets(p.path, p.value) }));
    super(shown.map((p) => `${p.path}: expected ${p.expected}, got ${show(p.value)}`).join('\n'));
    this.problems = shown;
  }
}

/** A stream that does not exist (or that the credentials cannot see). */
export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(
    readonly stream: string,
    override readonly cause?: unknown,
  ) {
    super(`Kinesis stream "${stream}" was not found`);
  }
}

/**
 * A non-retryable Kinesis error (or a retryable one past its retry limit)
 * while reading a shard. Names the stream and the shard.
 */
export class ShardReadError extends Error {
  override readonly name = 'ShardReadError';
  constructor(
    readonly stream: string,
    readonly shardId: string,
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} failed for stream "${stream}" shard "${shardId}": ${errorText(cause)}`);
  }
}

/** A Kinesis call failed for good after its retries (or at once, for a non-retryable error). */
export class KinesisCallError extends Error {
  override readonly name = 'KinesisCallError';
  constructor(
    readonly operation: string,
    readonly stream: string | undefined,
    override readonly cause: unknown,
  ) {
    super(
      `${operation}${stream === undefined ? '' : ` for stream "${stream}"`} failed: ${errorText(cause)}`,
    );
  }
}

/** `name: message` of anything thrown. */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** A value as it reads in an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === REDACTED) return REDACTED;
  const scalar = showScalar(value);
  if (scalar !== undefined) return scalar;
  const container = typeof value === 'object' && value !== null ? containerName(value) : undefined;
  if (container !== undefined) return container;
  let text: string | undefined;
  try {
    // JSON.stringify alone throws on a bigint and says `null` for NaN
    text = JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner !== 'object' || inner === null) return showScalar(inner) ?? inner;
      return containerName(inner) ?? inner;
    });
  } catch {
    text = undefined; // a cycle, or a throwing toJSON / getter
  }
  if (typeof text !== 'string') text = Array.isArray(value) ? 'an array' : 'an object';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** What JSON cannot say of a scalar (or of a Date, which JSON sees as a string), else undefined. */
function showScalar(value: unknown): string | undefined {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Date)
    return `Date(${isNaN(value.getTime()) ? 'Invalid' : value.toISOString()})`;
  return undefined;
}

/** `Uint8Array(3)`, `Map(2)`, `Set(1)`: containers JSON would show as `{}` or a list of numbers. */
function containerName(value: object): string | undefined {
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: unknown }).length;
    return `${value.constructor?.name ?? 'TypedArray'}(${typeof length === 'number' ? length : value.byteLength})`;
  }
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Set) return `Set(${value.size})`;
  return undefined;
}

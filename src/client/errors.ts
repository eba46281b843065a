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
  if (typeof value === 'function') return 'a function';
  if (value instanceof Date)
    return `Date(${isNaN(value.getTime()) ? 'Invalid' : value.toISOString()})`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

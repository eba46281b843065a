import * as t from 'io-ts';

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
// arn:<partition>:kinesis:<region>:<12-digit account>:stream/<name>
const STREAM_ARN =
  /^arn:(aws[a-z-]*):kinesis:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):stream\/([a-zA-Z0-9_.-]{1,128})$/;

/** What a stream ARN names. */
export interface StreamArnParts {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

/** What the ARN codecs say they expected. */
export const STREAM_ARN_EXPECTED =
  'a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>)';
const STREAM_NAME_EXPECTED = 'a stream name (1-128 characters of a-z, A-Z, 0-9, _ . -)';

/**
 * The parts of a Kinesis stream ARN, or `undefined` when `value` is not one
 * (a consumer ARN, another service's ARN, a name).
 *
 * ## Example
 * ```ts
 * import { parseStreamArn } from 'rx-kinesis';
 * parseStreamArn('arn:aws:kinesis:eu-west-1:123456789012:stream/orders');
 * // { partition: 'aws', region: 'eu-west-1', accountId: '123456789012', name: 'orders' }
 * ```
 */
export function parseStreamArn(value: string): StreamArnParts | undefined {
  const match = STREAM_ARN.exec(value);
  if (match === null) return undefined;
  const [, partition, region, accountId, name] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, region, accountId, name };
}

/**
 * True for a value meant as an ARN (it starts with `arn:`), well-formed or not.
 *
 * ## Example
 * ```ts
 * import { looksLikeArn } from 'rx-kinesis';
 * looksLikeArn('arn:aws:kinesis:eu-west-1:123456789012:stream/orders'); // true
 * looksLikeArn('orders'); // false
 * ```
 */
export function looksLikeArn(value: string): boolean {
  return value.startsWith('arn:');
}

/**
 * The stream name of a stream reference: the name itself, or the name part
 * of a stream ARN. What `KinesisRecord.stream`, `SinkAck.stream` and
 * checkpoint keys carry, so reading a stream by name or by ARN keeps the
 * same checkpoint.
 *
 * ## Example
 * ```ts
 * import { streamNameOf } from 'rx-kinesis';
 * streamNameOf('arn:aws:kinesis:eu-west-1:123456789012:stream/orders'); // 'orders'
 * streamNameOf('orders'); // 'orders'
 * ```
 */
export function streamNameOf(stream: string): string {
  if (!looksLikeArn(stream)) return stream;
  return parseStreamArn(stream)?.name ?? stream;
}

/**
 * The request field that addresses a stream: `{ StreamARN }` for an ARN,
 * `{ StreamName }` for a name. Kinesis takes either (not both) in
 * ListShards, GetShardIterator, PutRecords, DescribeStreamSummary, …
 *
 * ## Example
 * ```ts
 * import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
 * import { streamTarget } from 'rx-kinesis';
 * new PutRecordsCommand({ ...streamTarget(stream), Records: [] });
 * ```
 */
export function streamTarget(
  stream: string,
): { StreamName: string; StreamARN?: undefined } | { StreamARN: string; StreamName?: undefined } {
  return looksLikeArn(stream) ? { StreamARN: stream } : { StreamName: stream };
}

/** A Kinesis stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
export const StreamArn = new t.Type<string, string, unknown>(
  STREAM_ARN_EXPECTED,
  (u): u is string => typeof u === 'string' && STREAM_ARN.test(u),
  (u, c) => (typeof u === 'string' && STREAM_ARN.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * `names`, or a stream ARN: a value starting with `arn:` is judged as an ARN
 * only, so a malformed ARN reads "expected a stream ARN (…)", not "expected a
 * stream name".
 *
 * ## Example
 * ```ts
 * import { NonEmptyString, decodeConfig, orStreamArn } from 'rx-kinesis';
 * decodeConfig(orStreamArn(NonEmptyString), 'arn:aws:kinesis:eu-west-1:1:stream/x', 'sink.stream');
 * // ConfigError: sink.stream: expected a stream ARN (arn:aws:kinesis:<region>:<12-digit account>:stream/<name>), …
 * ```
 */
export function orStreamArn(
  names: t.Type<string, string, unknown>,
): t.Type<string, string, unknown> {
  return new t.Type<string, string, unknown>(
    `${names.name} or ${STREAM_ARN_EXPECTED}`,
    (u): u is string => typeof u === 'string' && (STREAM_ARN.test(u) || names.is(u)),
    (u, c) => {
      if (typeof u === 'string' && looksLikeArn(u)) {
        return STREAM_ARN.test(u) ? t.success(u) : t.failure(u, c, STREAM_ARN_EXPECTED);
      }
      return names.validate(u, c);
    },
    t.identity,
  );
}

/** A stream given by name (1-128 characters of a-z, A-Z, 0-9, `_ . -`) or by ARN. */
export const StreamRef = orStreamArn(
  new t.Type<string, string, unknown>(
    STREAM_NAME_EXPECTED,
    (u): u is string => typeof u === 'string' && STREAM_NAME.test(u),
    (u, c) => (typeof u === 'string' && STREAM_NAME.test(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  ),
);

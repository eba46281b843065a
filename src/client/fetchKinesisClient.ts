import type { KinesisClient, KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { type SchedulerLike, asyncScheduler } from 'rxjs';
import { kinesisEndpoint } from './kinesisEndpoint.js';
import { kinesisJsonBody } from './kinesisJsonBody.js';
import { kinesisOperationOf } from './kinesisOperationOf.js';
import { kinesisServiceError } from './kinesisServiceError.js';
import type { KinesisPort } from './KinesisPort.js';
import { readKinesisJson } from './readKinesisJson.js';

/** The operations the fetch client sends itself; every other command goes to the full SDK client. */
export const FETCH_CLIENT_OPERATIONS: ReadonlySet<string> = new Set([
  'GetRecords',
  'GetShardIterator',
  'ListShards',
  'PutRecords',
  'PutRecord',
  'DescribeStreamSummary',
]);

/** How far our clock may be from the server's before requests are signed with the server's. */
const CLOCK_SKEW_MS = 300_000;
// The errors a request signed with a skewed clock gets (as the SDK lists them).
const CLOCK_SKEW_ERRORS = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);

type Credentials = KinesisClientConfig['credentials'];
type Identity = Extract<NonNullable<Credentials>, { accessKeyId: string }>;
type SendOptions = { abortSignal?: unknown } | undefined;

/** Settings of `fetchKinesisClient`: those of a `KinesisClient` it can honour. */
export interface FetchKinesisClientSettings {
  /** The region requests are signed for (and sent to, without `endpoint`). */
  readonly region?: string;
  /** A custom endpoint URL (an emulator, a VPC endpoint, FIPS). */
  readonly endpoint?: string;
  /** Static keys or a provider (refreshed 5 minutes before they expire). */
  readonly credentials?: Credentials;
  /**
   * The client for commands this client does not speak (`SubscribeToShard`,
   * consumer registration, stream administration). Default: a `KinesisClient`
   * with the same settings and `maxAttempts: 1`, loaded on first use with a
   * dynamic `import()`, so a page that never needs it does not download it.
   */
  readonly fallback?: () => Promise<KinesisPort>;
  /** The `fetch` to call; default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

/** A `KinesisPort` over `fetch`: `send` as `KinesisClient.send`, `destroy` as its `destroy`. */
export interface FetchKinesisClient extends KinesisPort {
  destroy(): void;
}

/**
 * A light Kinesis client for pages: the calls a reader and a writer make
 * (GetRecords, GetShardIterator, ListShards, PutRecords, PutRecord,
 * DescribeStreamSummary) sent with `fetch` in the JSON protocol the AWS SDK
 * uses, signed by the SDK's own SigV4 signer (`@smithy/signature-v4`), and
 * answered in the SDK's shapes (bytes, `Date`s, service errors named as the
 * SDK names them, `$metadata`). It takes the same SDK command objects as a
 * `KinesisClient`, so every operator works with either. Any other command is
 * handed to a full `KinesisClient` loaded on first use. It does not retry:
 * as with our SDK clients (`maxAttempts: 1`), every retry is rx-kinesis's own.
 *
 * In a browser bundle `createKinesisClient` returns one (the package's
 * `browser` field): the SDK client's runtime is ~100 KiB of a page; this is
 * the commands' schemas and the signer. Pass `client: new KinesisClient(…)`
 * to use the SDK client instead.
 *
 * ## Example
 * ```ts
 * import { fetchKinesisClient, fromKinesis } from 'rx-kinesis';
 * const client = fetchKinesisClient({
 *   region: 'eu-west-1',
 *   credentials: { accessKeyId: 'AKIA…', secretAccessKey: '…' },
 * });
 * fromKinesis({ stream: 'clicks', client }).subscribe((record) => console.log(record.partitionKey));
 * ```
 *
 * @param settings region, endpoint, credentials (see `FetchKinesisClientSettings`)
 * @param scheduler the clock a provider's keys are checked against for expiry; defaults to `asyncScheduler`
 */
export function fetchKinesisClient(
  settings: FetchKinesisClientSettings,
  scheduler: SchedulerLike = asyncScheduler,
): FetchKinesisClient {
  const { region, endpoint } = settings;
  const send = settings.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const identity = memoizedIdentity(settings.credentials, scheduler);
  const signer =
    region === undefined
      ? undefined
      : new SignatureV4({ service: 'kinesis', region, credentials: identity, sha256: Sha256 });
  // the server's clock minus ours, learnt from answers' Date headers (as the SDK's
  // `systemClockOffset`): a page on a machine whose clock is off still signs in time
  let clockOffset = 0;
  let full: Promise<KinesisPort> | undefined;
  let loaded: KinesisPort | undefined;
  const fallback = (): Promise<KinesisPort> =>
    (full ??= (
      settings.fallback ??
      (() =>
        import('./newKinesisClient.js').then(({ newKinesisClient }) =>
          newKinesisClient({
            maxAttempts: 1,
            ...(region !== undefined ? { region } : {}),
            ...(endpoint !== undefined ? { endpoint } : {}),
            ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
          }),
        ))
    )().then((client) => (loaded = client)));

  /** Takes the server's time from a Date header when ours is 5 minutes or more off; true if it did. */
  const correctClock = (date: string | null): boolean => {
    const server = date !== null ? Date.parse(date) : NaN;
    if (Number.isNaN(server)) return false;
    const now = scheduler.now();
    if (Math.abs(server - (now + clockOffset)) < CLOCK_SKEW_MS) return false;
    clockOffset = server - now;
    return true;
  };

  const call = async (command: unknown, options: SendOptions): Promise<unknown> => {
    const operation = kinesisOperationOf(command);
    if (operation === undefined || !FETCH_CLIENT_OPERATIONS.has(operation)) {
      const client = await fallback();
      return (client.send as (c: unknown, o: SendOptions) => Promise<unknown>)(command, options);
    }
    if (signer === undefined) {
      throw Object.assign(new Error('Region is missing: give the client a region to sign for'), {
        name: 'ConfigError',
      });
    }
    const signal = options?.abortSignal as AbortSignal | undefined;
    const input = ((command as { input?: object }).input ?? {}) as { StreamARN?: unknown };
    const where = kinesisEndpoint(operation, input, {
      region: region as string,
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    const host = where.port !== undefined ? `${where.hostname}:${where.port}` : where.hostname;
    const body = kinesisJsonBody(input);
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: where.protocol,
        hostname: where.hostname,
        ...(where.port !== undefined ? { port: where.port } : {}),
        path: where.path,
        query: {},
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `Kinesis_20131202.${operation}`,
          host,
        },
        body,
      },
      { signingDate: new Date(scheduler.now() + clockOffset) },
    );
    throwIfAborted(signal);
    // `host` is the browser's to set (a forbidden header in fetch); it was signed as it will be sent
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(signed.headers)) {
      if (name.toLowerCase() !== 'host') headers[name] = value;
    }
    let response: Response;
    let text: string;
    try {
      response = await send(`${where.protocol}//${host}${where.path}`, {
        method: 'POST',
        headers,
        body,
        ...(signal !== undefined ? { signal } : {}),
      });
      text = await response.text();
    } catch (error) {
      throwIfAborted(signal);
      throw networkError(operation, error);
    }
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const corrected = correctClock(response.headers.get('date'));
    if (!response.ok) {
      const error = kinesisServiceError(
        response.status,
        response.headers.get('x-amzn-errortype'),
        text,
        requestId,
      );
      // signed with a clock now corrected: `classifyError` retries it, as the SDK's strategy does
      if (corrected && CLOCK_SKEW_ERRORS.has(error.name)) error.$metadata.clockSkewCorrected = true;
      throw error;
    }
    return readKinesisJson(operation, text, {
      httpStatusCode: response.status,
      ...(requestId !== undefined ? { requestId } : {}),
    });
  };

  return {
    send: call as unknown as KinesisClient['send'],
    destroy: () => {
      (loaded as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
}

/** Static keys as they are; a provider's keys kept until 5 minutes before they expire. */
function memoizedIdentity(
  credentials: Credentials,
  scheduler: SchedulerLike,
): () => Promise<Identity> {
  if (credentials === undefined) {
    return () =>
      Promise.reject(
        Object.assign(new Error('Credential is missing: give the client credentials'), {
          name: 'CredentialsProviderError',
        }),
      );
  }
  if (typeof credentials !== 'function') {
    const keys = credentials as Identity;
    return () => Promise.resolve(keys);
  }
  let cached: Promise<Identity> | undefined;
  let refreshAt = 0;
  return () => {
    if (cached === undefined || scheduler.now() >= refreshAt) {
      const pending = (credentials as () => Promise<Identity>)().then((keys) => {
        refreshAt =
          keys.expiration !== undefined
            ? keys.expiration.getTime() - 5 * 60_000
            : Number.POSITIVE_INFINITY;
        return keys;
      });
      cached = pending;
      // a failed fetch of keys is not kept: the next request asks again
      pending.catch(() => {
        if (cached === pending) cached = undefined;
      });
      refreshAt = Number.POSITIVE_INFINITY;
    }
    return cached;
  };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) {
    throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
  }
}

/** A request that got no HTTP answer (refused, reset, offline): retryable, as the SDK's. */
function networkError(operation: string, error: unknown): Error {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return Object.assign(
    new Error(`${operation} got no answer: ${detail}${code !== undefined ? ` (${code})` : ''}`, {
      cause: error,
    }),
    {
      name: 'NetworkingError',
      ...(code !== undefined ? { code } : {}),
    },
  );
}

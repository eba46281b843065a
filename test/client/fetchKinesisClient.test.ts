import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { Sha256 } from '@smithy/core/checksum';
import { HttpResponse } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../src/client/classifyError.js';
import { fetchKinesisClient } from '../../src/client/fetchKinesisClient.js';
import { kinesisOperationOf } from '../../src/client/kinesisOperationOf.js';
import type { KinesisPort } from '../../src/client/KinesisPort.js';

// The fetch client against the AWS SDK as the oracle: the same command sent
// through a KinesisClient (its request captured by a request handler, its
// answer canned) and through the fetch client (a fake fetch) must make the
// same request (URL, target, body, signing scope) and give the same output
// or the same error.

const keys = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' };

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  /** The body as sent (the fetch client's requests). */
  readonly text?: string;
}

/**
 * Signs again, independently, exactly what went over the wire (the URL's host
 * and path, the headers sent, the body) at the request's own `x-amz-date`:
 * the same Authorization means the signature covers what was sent.
 */
async function resign(sent: Sent, region: string): Promise<string | undefined> {
  const url = new URL(sent.url);
  const { authorization: _, ...headers } = sent.headers;
  const date = headers['x-amz-date'] ?? '';
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service: 'kinesis', region, credentials: keys, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: {},
      headers: { ...headers, host: url.host },
      body: sent.text,
    },
    { signingDate },
  );
  return signed.headers['authorization'];
}

interface Canned {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

type Send = (command: unknown, options?: { abortSignal?: AbortSignal }) => Promise<unknown>;
const sendOf = (client: KinesisPort): Send => (client.send as unknown as Send).bind(client);

function viaSdk(region: string, canned: Canned, endpoint?: string): { sent: Sent[]; send: Send } {
  const sent: Sent[] = [];
  const client = new KinesisClient({
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    maxAttempts: 1,
    credentials: keys,
    requestHandler: {
      handle: async (request: {
        protocol: string;
        hostname: string;
        port?: number;
        path: string;
        headers: Record<string, string>;
        body: string | Uint8Array;
      }) => {
        const port = request.port !== undefined ? `:${request.port}` : '';
        const text =
          typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
        sent.push({
          url: `${request.protocol}//${request.hostname}${port}${request.path}`,
          headers: request.headers,
          body: JSON.parse(text) as unknown,
        });
        return {
          response: new HttpResponse({
            statusCode: canned.status,
            headers: { 'content-type': 'application/x-amz-json-1.1', ...canned.headers },
            body: Readable.from([Buffer.from(canned.body)]),
          }),
        };
      },
      updateHttpClientConfig: () => undefined,
      httpHandlerConfigs: () => ({}),
    },
  });
  return { sent, send: sendOf(client) };
}

function viaFetch(region: string, canned: Canned, endpoint?: string): { sent: Sent[]; send: Send } {
  const sent: Sent[] = [];
  const client = fetchKinesisClient({
    region,
    ...(endpoint !== undefined ? { endpoint } : {}),
    credentials: keys,
    fetch: async (url, init) => {
      const headers = init?.headers as Record<string, string>;
      const text = String(init?.body);
      sent.push({ url: String(url), headers, body: JSON.parse(text) as unknown, text });
      return new Response(canned.body, {
        status: canned.status,
        headers: { 'content-type': 'application/x-amz-json-1.1', ...canned.headers },
      });
    },
  });
  return { sent, send: sendOf(client) };
}

const withoutMetadata = (output: unknown): unknown => {
  const { $metadata: _, ...rest } = output as Record<string, unknown>;
  return rest;
};
const scopeOf = (headers: Record<string, string>): string | undefined =>
  /Credential=[^/]+\/\d{8}\/([^,]+),/.exec(headers['authorization'] ?? '')?.[1];

const arn = 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders';
/** The stream's ARN in the partition of a region (an ARN of another partition is refused). */
const arnIn = (region: string): string =>
  `arn:${region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'}:kinesis:${region}:123456789012:stream/orders`;
let region = 'eu-west-1';
const commands = {
  GetRecords: () => new GetRecordsCommand({ ShardIterator: 'AAAA', Limit: 100 }),
  'GetRecords by ARN': () =>
    new GetRecordsCommand({ ShardIterator: 'AAAA', StreamARN: arnIn(region) }),
  'GetShardIterator AT_TIMESTAMP': () =>
    new GetShardIteratorCommand({
      StreamName: 'orders',
      ShardId: 'shardId-000000000001',
      ShardIteratorType: 'AT_TIMESTAMP',
      Timestamp: new Date(1459799926480),
    }),
  'ListShards by ARN': () => new ListShardsCommand({ StreamARN: arnIn(region), MaxResults: 1000 }),
  'ListShards with a token': () => new ListShardsCommand({ NextToken: 'tok', MaxResults: 10 }),
  PutRecords: () =>
    new PutRecordsCommand({
      StreamName: 'orders',
      Records: [
        { Data: new Uint8Array([0, 1, 254, 255]), PartitionKey: 'k1' },
        { Data: new Uint8Array(70_000).fill(7), PartitionKey: 'k2', ExplicitHashKey: '42' },
        { Data: new Uint8Array(0), PartitionKey: 'k3' },
      ],
    }),
  'PutRecords by ARN': () =>
    new PutRecordsCommand({
      StreamARN: arnIn(region),
      Records: [{ Data: new TextEncoder().encode('é€😀'), PartitionKey: 'k' }],
    }),
  PutRecord: () =>
    new PutRecordCommand({
      StreamName: 'orders',
      Data: new Uint8Array([9]),
      PartitionKey: 'k',
      SequenceNumberForOrdering: '1',
    }),
  DescribeStreamSummary: () => new DescribeStreamSummaryCommand({ StreamName: 'orders' }),
};

describe('fetchKinesisClient makes the request the SDK makes', () => {
  const ok: Canned = { status: 200, body: '{}' };
  for (const [name, make] of Object.entries(commands)) {
    for (const [where, endpoint] of [
      ['eu-west-1', undefined],
      ['us-east-1', undefined],
      ['cn-north-1', undefined],
      ['us-gov-west-1', undefined],
      ['eu-west-1', 'http://127.0.0.1:4567'],
      ['eu-west-1', 'https://vpce-1.kinesis.eu-west-1.vpce.amazonaws.com/base'],
    ] as const) {
      it(`${name} in ${where}${endpoint !== undefined ? ` at ${endpoint}` : ''}`, async () => {
        region = where;
        const sdk = viaSdk(where, ok, endpoint);
        const ours = viaFetch(where, ok, endpoint);
        await sdk.send(make());
        await ours.send(make());
        const [expected] = sdk.sent;
        const [actual] = ours.sent;
        expect(actual?.url).toBe(expected?.url);
        expect(actual?.body).toEqual(expected?.body);
        for (const header of ['content-type', 'x-amz-target', 'x-amz-security-token']) {
          expect(actual?.headers[header], header).toBe(expected?.headers[header]);
        }
        expect(scopeOf(actual?.headers ?? {})).toBe(scopeOf(expected?.headers ?? {}));
        expect(scopeOf(actual?.headers ?? {})).toBe(`${where}/kinesis/aws4_request`);
        expect(actual?.headers['authorization']).toMatch(
          /SignedHeaders=[^,]*host[^,]*x-amz-date[^,]*x-amz-target/,
        );
        // the signature covers what was sent: signed again from the wire, it is the same
        expect(actual?.headers['authorization']).toBe(await resign(actual as Sent, where));
        // the host is the browser's to set; it was signed as the URL has it
        expect(Object.keys(actual?.headers ?? {}).map((h) => h.toLowerCase())).not.toContain(
          'host',
        );
      });
    }
  }
});

describe('fetchKinesisClient answers as the SDK answers', () => {
  const answers: Record<string, { command: () => unknown; body: string }> = {
    GetRecords: {
      command: commands.GetRecords,
      body: JSON.stringify({
        Records: [
          {
            SequenceNumber: '49590338271490256608559692538361571095921575989136588898',
            ApproximateArrivalTimestamp: 1459799926.48,
            Data: 'AAH+/w==',
            PartitionKey: 'k1',
          },
          {
            SequenceNumber: '49590338271490256608559692538361571095921575989136588899',
            ApproximateArrivalTimestamp: 1459799927,
            Data: '',
            PartitionKey: 'k2',
            EncryptionType: 'KMS',
          },
        ],
        NextShardIterator: 'BBBB',
        MillisBehindLatest: 2100,
        ChildShards: [
          {
            ShardId: 'shardId-000000000002',
            ParentShards: ['shardId-000000000001'],
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '10' },
          },
        ],
      }),
    },
    ListShards: {
      command: commands['ListShards by ARN'],
      body: JSON.stringify({
        Shards: [
          {
            ShardId: 'shardId-000000000000',
            HashKeyRange: {
              StartingHashKey: '0',
              EndingHashKey: '340282366920938463463374607431768211455',
            },
            SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' },
          },
        ],
        NextToken: 'next',
      }),
    },
    GetShardIterator: {
      command: commands['GetShardIterator AT_TIMESTAMP'],
      body: '{"ShardIterator":"AAAA"}',
    },
    PutRecords: {
      command: commands.PutRecords,
      body: JSON.stringify({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
          {
            ErrorCode: 'ProvisionedThroughputExceededException',
            ErrorMessage: 'Rate exceeded for shard shardId-000000000000',
          },
          { SequenceNumber: '2', ShardId: 'shardId-000000000000' },
        ],
        EncryptionType: 'NONE',
      }),
    },
    'PutRecords with nulls (as kinesis-local answers)': {
      command: commands.PutRecords,
      body: JSON.stringify({
        FailedRecordCount: 0,
        Records: [
          {
            SequenceNumber: '1',
            ShardId: 'shardId-000000000000',
            ErrorCode: null,
            ErrorMessage: null,
          },
          {
            SequenceNumber: '2',
            ShardId: 'shardId-000000000000',
            ErrorCode: null,
            ErrorMessage: null,
          },
          {
            SequenceNumber: '3',
            ShardId: 'shardId-000000000001',
            ErrorCode: null,
            ErrorMessage: null,
          },
        ],
        EncryptionType: null,
      }),
    },
    'ListShards with nulls': {
      command: commands['ListShards with a token'],
      body: JSON.stringify({
        Shards: [
          {
            ShardId: 'shardId-000000000000',
            ParentShardId: null,
            HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' },
            SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: null },
          },
        ],
        NextToken: null,
      }),
    },
    PutRecord: {
      command: commands.PutRecord,
      body: '{"SequenceNumber":"3","ShardId":"shardId-000000000000"}',
    },
    DescribeStreamSummary: {
      command: commands.DescribeStreamSummary,
      body: JSON.stringify({
        StreamDescriptionSummary: {
          StreamName: 'orders',
          StreamARN: arn,
          StreamStatus: 'ACTIVE',
          RetentionPeriodHours: 24,
          StreamCreationTimestamp: 1459799926.123,
          EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
          OpenShardCount: 2,
          ConsumerCount: 0,
        },
      }),
    },
  };
  for (const [name, { command, body }] of Object.entries(answers)) {
    it(name, async () => {
      const canned: Canned = { status: 200, headers: { 'x-amzn-requestid': 'req-1' }, body };
      const expected = (await viaSdk('eu-west-1', canned).send(command())) as Record<
        string,
        unknown
      >;
      const actual = (await viaFetch('eu-west-1', canned).send(command())) as Record<
        string,
        unknown
      >;
      expect(withoutMetadata(actual)).toEqual(withoutMetadata(expected));
      expect(actual['$metadata']).toMatchObject({ httpStatusCode: 200, requestId: 'req-1' });
    });
  }
});

describe('fetchKinesisClient fails as the SDK fails', () => {
  const failures: Record<string, Canned> = {
    'throttled (400)': {
      status: 400,
      body: '{"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded for shard shardId-000000000000 in stream orders"}',
    },
    'expired iterator with a namespaced type': {
      status: 400,
      body: '{"__type":"com.amazonaws.kinesis.v20131202#ExpiredIteratorException","message":"Iterator expired"}',
    },
    'missing stream, type in the header': {
      status: 400,
      headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal.amazon.com/' },
      body: '{"message":"Stream orders under account 123456789012 not found."}',
    },
    'bad input': {
      status: 400,
      body: '{"__type":"ValidationException","message":"1 validation error detected"}',
    },
    'internal failure (500)': {
      status: 500,
      body: '{"__type":"InternalFailure","message":"oops"}',
    },
    'an empty 500': { status: 500, body: '' },
    'an empty 400': { status: 400, body: '' },
    'a proxy page (503, not JSON)': {
      status: 503,
      body: '<html><body>Service Unavailable</body></html>',
    },
  };
  for (const [name, canned] of Object.entries(failures)) {
    it(name, async () => {
      const expected = await viaSdk('eu-west-1', canned)
        .send(commands.GetRecords())
        .then(
          () => undefined,
          (error: unknown) => error as Error & { $fault?: string; $metadata?: object },
        );
      const actual = await viaFetch('eu-west-1', canned)
        .send(commands.GetRecords())
        .then(
          () => undefined,
          (error: unknown) => error as Error & { $fault?: string; $metadata?: object },
        );
      expect(expected).toBeDefined();
      expect(actual).toBeInstanceOf(Error);
      expect(classifyError(actual)).toBe(classifyError(expected));
      expect(actual?.$metadata).toMatchObject({ httpStatusCode: canned.status });
      expect(actual?.$fault).toBe(canned.status >= 500 ? 'server' : 'client');
      // a named service error keeps the SDK's name and message (a page that is not JSON is a
      // deserialization error in the SDK, a 503 service error here: retryable in both)
      if (!canned.body.startsWith('<')) {
        expect(actual?.$fault).toBe(expected?.$fault);
        expect(actual?.name).toBe(expected?.name);
        expect(actual?.message).toBe(expected?.message);
      }
    });
  }
});

describe('fetchKinesisClient on its own', () => {
  it('names the operation of every command the library sends', () => {
    expect(kinesisOperationOf(new GetRecordsCommand({ ShardIterator: 'i' }))).toBe('GetRecords');
    expect(kinesisOperationOf(new PutRecordsCommand({ Records: [] }))).toBe('PutRecords');
    expect(kinesisOperationOf(new CreateStreamCommand({ StreamName: 's' }))).toBe('CreateStream');
    expect(kinesisOperationOf({ input: {} })).toBeUndefined();
    expect(kinesisOperationOf(undefined)).toBeUndefined();
  });

  it('refuses a stream ARN of another partition than the region, as the SDK does', async () => {
    const command = (): GetRecordsCommand =>
      new GetRecordsCommand({ ShardIterator: 'i', StreamARN: arn });
    const ok: Canned = { status: 200, body: '{}' };
    const expected = (await viaSdk('cn-north-1', ok)
      .send(command())
      .catch((e: unknown) => e)) as Error;
    const fetched = viaFetch('cn-north-1', ok);
    const actual = (await fetched.send(command()).catch((e: unknown) => e)) as Error;
    expect(actual.message).toBe(expected.message);
    expect(actual.name).toBe('EndpointError');
    expect(fetched.sent).toEqual([]);
  });

  it('learns the server clock from a Date header when ours is 5 minutes off: the next request is signed in time', async () => {
    const hourAhead = new Date(Date.now() + 3_600_000);
    const sent: Sent[] = [];
    let answer = (): Response =>
      new Response(
        '{"__type":"InvalidSignatureException","message":"Signature expired: 20261204T100000Z is now earlier than 20261204T105500Z"}',
        { status: 400, headers: { date: hourAhead.toUTCString() } },
      );
    const client = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: (url, init) => {
        sent.push({ url: String(url), headers: init?.headers as Record<string, string>, body: {} });
        return Promise.resolve(answer());
      },
    });
    const xAmzDate = (at: number): number => {
      const d = sent[at]?.headers['x-amz-date'] ?? '';
      return Date.parse(
        `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`,
      );
    };
    const error = (await sendOf(client)(commands.GetRecords()).catch(
      (e: unknown) => e,
    )) as Error & {
      $metadata: { clockSkewCorrected?: boolean };
    };
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.clockSkewCorrected).toBe(true);
    expect(classifyError(error)).toBe('retryable'); // sent again by our retry policy
    answer = () => new Response('{}', { headers: { date: hourAhead.toUTCString() } });
    await sendOf(client)(commands.GetRecords());
    expect(Math.abs(xAmzDate(0) - Date.now())).toBeLessThan(60_000);
    expect(Math.abs(xAmzDate(1) - hourAhead.getTime())).toBeLessThan(60_000);
    // the same error once the clock is right is not a skew: fatal, as any bad signature
    answer = () =>
      new Response('{"__type":"InvalidSignatureException","message":"bad"}', {
        status: 400,
        headers: { date: new Date(Date.now() + 3_600_000).toUTCString() },
      });
    const again = await sendOf(client)(commands.GetRecords()).catch((e: unknown) => e);
    expect(classifyError(again)).toBe('fatal');
  });

  it('a failed fetch (no answer) is a retryable NetworkingError with the cause', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const client = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: () => Promise.reject(refused),
    });
    const error = (await sendOf(client)(commands.GetRecords()).catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('NetworkingError');
    expect(error.message).toContain('GetRecords got no answer: fetch failed (ECONNREFUSED)');
    expect(error.cause).toBe(refused);
    expect(classifyError(error)).toBe('retryable');
    // a browser's "Failed to fetch" has no code: retryable too
    const offline = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    const other = await sendOf(offline)(commands.GetRecords()).catch((e: unknown) => e);
    expect(classifyError(other)).toBe('retryable');
  });

  it('aborting rejects with an AbortError (fatal, not retried) and aborts the fetch', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const client = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) => {
          seen = init?.signal ?? undefined;
          seen?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
        }),
    });
    const pending = sendOf(client)(commands.GetRecords(), { abortSignal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toBe(controller.signal);
    controller.abort();
    const error = (await pending.catch((e: unknown) => e)) as Error;
    expect(error.name).toBe('AbortError');
    expect(classifyError(error)).toBe('fatal');
    // aborted before it is sent: no request at all
    let calls = 0;
    const counted = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: () => {
        calls += 1;
        return Promise.resolve(new Response('{}'));
      },
    });
    const aborted = new AbortController();
    aborted.abort();
    const early = (await sendOf(counted)(commands.GetRecords(), {
      abortSignal: aborted.signal,
    }).catch((e: unknown) => e)) as Error;
    expect(early.name).toBe('AbortError');
    expect(calls).toBe(0);
  });

  it('a provider’s keys are kept until 5 minutes before they expire, and a failure is not kept', async () => {
    let calls = 0;
    let fail = true;
    let expiration = new Date(Date.now() + 3_600_000);
    const provider = (): Promise<typeof keys & { expiration: Date }> => {
      calls += 1;
      if (fail) {
        fail = false;
        return Promise.reject(new Error('no keys yet'));
      }
      return Promise.resolve({ ...keys, expiration });
    };
    const client = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: provider,
      fetch: () => Promise.resolve(new Response('{}')),
    });
    const send = sendOf(client);
    await expect(send(commands.GetRecords())).rejects.toThrow('no keys yet');
    await send(commands.GetRecords());
    await send(commands.GetRecords());
    expect(calls).toBe(2);
    expiration = new Date(Date.now() + 60_000); // the next keys expire in a minute
    client.destroy();
    const soon = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: provider,
      fetch: () => Promise.resolve(new Response('{}')),
    });
    await sendOf(soon)(commands.GetRecords());
    await sendOf(soon)(commands.GetRecords());
    expect(calls).toBe(4); // within 5 minutes of expiry: asked again each time
  });

  it('says what is missing: credentials, region', async () => {
    const fetchNever = (): Promise<Response> => Promise.reject(new Error('no request expected'));
    const noKeys = fetchKinesisClient({ region: 'eu-west-1', fetch: fetchNever });
    await expect(sendOf(noKeys)(commands.GetRecords())).rejects.toMatchObject({
      name: 'CredentialsProviderError',
      message: expect.stringContaining('Credential is missing') as unknown,
    });
    const noRegion = fetchKinesisClient({ credentials: keys, fetch: fetchNever });
    await expect(sendOf(noRegion)(commands.GetRecords())).rejects.toThrow('Region is missing');
  });

  it('hands any other command to the full client, loaded once, destroyed with it', async () => {
    const received: unknown[] = [];
    let loads = 0;
    let destroyed = 0;
    const client = fetchKinesisClient({
      region: 'eu-west-1',
      credentials: keys,
      fetch: () => Promise.reject(new Error('not through fetch')),
      fallback: () => {
        loads += 1;
        return Promise.resolve({
          send: ((command: unknown) => {
            received.push(command);
            return Promise.resolve({ ok: true });
          }) as unknown as KinesisPort['send'],
          destroy: () => {
            destroyed += 1;
          },
        } as KinesisPort);
      },
    });
    const create = new CreateStreamCommand({ StreamName: 's', ShardCount: 1 });
    await expect(sendOf(client)(create)).resolves.toEqual({ ok: true });
    await sendOf(client)(new CreateStreamCommand({ StreamName: 't', ShardCount: 1 }));
    expect(received[0]).toBe(create);
    expect(loads).toBe(1);
    client.destroy();
    expect(destroyed).toBe(1);
  });
});

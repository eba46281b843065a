import { inspect } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject, lastValueFrom, of, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientConfig } from '../../src/config/ClientConfig.js';
import { sinkConfigFromFlinkOptions } from '../../src/config/sinkConfigFromFlinkOptions.js';
import { sourceConfigFromFlinkOptions } from '../../src/config/sourceConfigFromFlinkOptions.js';
import { logMetrics } from '../../src/metrics/logMetrics.js';
import type { Metric, MetricsRecorder } from '../../src/metrics/Metric.js';
import { loadModule } from '../../src/module/loadModule.js';
import { freePort } from '../../src/node/freePort.js';
import { toKinesis } from '../../src/sink/toKinesis.js';
import { fromKinesis } from '../../src/source/fromKinesis.js';
import { defineTable } from '../../src/table/defineTable.js';
import { runCli } from '../cli/runCli.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { type FaultProxy, startFaultProxy } from '../support/faultProxy.js';

// Markers: if either string shows up anywhere a user can see, a secret leaked.
const SECRET = 'SeCrEtMaRkEr0f1e2d3c4b5a69788';
const TOKEN = 'ToKeNmArKeR9a8b7c6d5e4f3021';
const leaked = (text: string): boolean => text.includes(SECRET) || text.includes(TOKEN);

/** Every way a user might look at an error: message, String, JSON, a deep inspect, its causes. */
function everyViewOf(error: unknown): string {
  const views: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    views.push(String(current), inspect(current, { depth: 8 }));
    try {
      views.push(JSON.stringify(current) ?? '');
    } catch {
      // a cycle: inspect above already shows it
    }
    current = (current as { cause?: unknown }).cause;
  }
  return views.join('\n');
}

/** Runs `body`, expects it to fail, and returns every view of the error. */
async function failureOf(body: () => unknown): Promise<string> {
  try {
    await body();
  } catch (error) {
    return everyViewOf(error);
  }
  throw new Error('expected a failure');
}

// Everything written to the console or the standard streams while this file runs.
const written: string[] = [];
const restore: Array<() => void> = [];
beforeAll(() => {
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(String(chunk));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write;
    restore.push(() => (stream.write = original));
  }
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[level];
    console[level] = (...args: unknown[]) => {
      written.push(
        args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '),
      );
      original(...args);
    };
    restore.push(() => (console[level] = original));
  }
});
afterAll(() => {
  for (const undo of restore.reverse()) undo();
});

/** A recorder that keeps every metric, and a log line per summary. */
const seen: Metric[] = [];
const recorder: MetricsRecorder = { next: (metric) => void seen.push(metric) };

const kinesis = useKinesisLocal();
let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy(kinesis.endpoint);
});
afterAll(async () => {
  await proxy.stop();
});

/** Client settings signed with the marker secret and token (a fresh kinesis-local account). */
const marked = (endpoint: string): ClientConfig => ({
  region: 'us-east-1',
  endpoint,
  credentials: {
    accessKeyId: freshCredentials().accessKeyId,
    secretAccessKey: SECRET,
    sessionToken: TOKEN,
  },
});
const fast = { base: 5, max: 10, expConst: 1.5, maxRetries: 2 };

describe('secrets never appear in an error, a log line or a metric', () => {
  it('config errors name the secret path but never its value', async () => {
    const views = await Promise.all([
      failureOf(() =>
        fromKinesis({
          stream: 's',
          credentials: {
            accessKeyId: 'a',
            secretAccessKey: 5 as unknown as string,
            sessionToken: TOKEN,
          },
        }),
      ),
      failureOf(() =>
        fromKinesis({
          stream: 's',
          credentials: {
            type: 'BASIC',
            accessKeyId: '',
            secretAccessKey: SECRET,
            sessionToken: 7,
          } as never,
        }),
      ),
      failureOf(() =>
        toKinesis({
          stream: 's',
          credentials: [SECRET, TOKEN] as never,
        }),
      ),
      failureOf(() =>
        toKinesis({
          stream: 's',
          credentials: { accessKeyId: 1, secretAccessKey: SECRET, sessionToken: TOKEN } as never,
        }),
      ),
      failureOf(() =>
        sourceConfigFromFlinkOptions({
          stream: 's',
          'aws.region': 'us-east-1',
          'aws.credentials.provider': 'BASIC',
          // Flink's old spelling of the key: unknown here, a did-you-mean, the value not repeated
          'aws.credentials.provider.basic.secretkey': SECRET,
        }),
      ),
      failureOf(() =>
        sinkConfigFromFlinkOptions({
          stream: 's',
          'aws.region': 'us-east-1',
          'aws.credentials.provider': 'BASICC',
          'aws.credentials.basic.accesskeyid': 'a',
          'aws.credentials.basic.secretkey': SECRET,
        }),
      ),
      failureOf(() =>
        defineTable({
          columns: [{ name: 'a', type: 'STRING' }],
          options: {
            connector: 'kinesis',
            stream: 's',
            'aws.region': 'us-east-1',
            format: 'json',
            'aws.credentials.basic.secretKey': SECRET,
          },
        }),
      ),
      failureOf(() =>
        loadModule(`version: "1.0"
module:
  meta:
    type: remote
  spec:
    egresses:
      - egress:
          meta:
            type: statefun.kinesis.io/generic-egress
            id: a/b
          spec:
            awsRegion:
              type: specific
              id: us-east-1
            awsCredentials:
              type: basic
              accessKeyId: 7
              secretAccessKey: [${SECRET}]
              sessionToken: { t: ${TOKEN} }
`),
      ),
    ]);
    for (const view of views) {
      expect(view).toMatch(/ConfigError/);
      expect(leaked(view), view).toBe(false);
    }
    // the secret's path is still named, so the user knows what to fix
    expect(views[0]).toContain(
      'source.credentials.secretAccessKey: expected a non-empty string, got (redacted)',
    );
    expect(views[4]).toContain('aws.credentials.provider.basic.secretkey');
  });

  it('failing calls of every kind: missing stream, throttling, 5xx, resets, no server, partial PutRecords failures', async () => {
    const client = kinesis.client();
    await kinesis.createStream(client, 'present', 1);
    const closed = `http://127.0.0.1:${await freePort()}`;
    const read = (endpoint: string, stream: string) =>
      lastValueFrom(
        fromKinesis({
          ...marked(endpoint),
          stream,
          initialPosition: 'TRIM_HORIZON',
          metrics: recorder,
          backoff: { listShards: fast, getShardIterator: fast, getRecords: fast },
        }).pipe(take(1), toArray()),
      );
    const write = (endpoint: string, stream: string, partitionKey = 'k') => {
      const sink = toKinesis({
        ...marked(endpoint),
        stream,
        metrics: recorder,
        retry: fast,
        failOnError: true,
      });
      of({ data: 'x', partitionKey }).subscribe(sink);
      return sink.done;
    };
    const views: string[] = [];
    views.push(await failureOf(() => read(kinesis.endpoint, 'missing')));
    views.push(await failureOf(() => write(kinesis.endpoint, 'missing')));
    views.push(await failureOf(() => read(closed, 'present')));
    views.push(await failureOf(() => write(closed, 'present')));
    views.push(await failureOf(() => write(kinesis.endpoint, 'present', 'k'.repeat(300))));
    proxy.set({ throttle: (op) => op === 'GetRecords' });
    views.push(await failureOf(() => read(proxy.endpoint, 'present')));
    proxy.set({ serverError: (op) => op === 'ListShards' });
    views.push(await failureOf(() => read(proxy.endpoint, 'present')));
    proxy.set({ reset: (op) => op === 'GetShardIterator' });
    views.push(await failureOf(() => read(proxy.endpoint, 'present')));
    proxy.set({ putRecordsFailureRate: 1 });
    views.push(await failureOf(() => write(proxy.endpoint, 'present')));
    proxy.set({ throttle: (op) => op === 'PutRecords' });
    views.push(await failureOf(() => write(proxy.endpoint, 'present')));
    proxy.set({});
    for (const view of views) expect(leaked(view), view).toBe(false);
    expect(views.join('\n')).toMatch(/StreamNotFoundError/);
    expect(views.join('\n')).toMatch(/ShardReadError|KinesisCallError/);
    expect(views.join('\n')).toMatch(/PutRecordsError/);
    expect(views.join('\n')).toMatch(/InvalidRecordError/);
    expect(seen.length).toBeGreaterThan(0);
    expect(leaked(JSON.stringify(seen))).toBe(false);
  });

  it('credential kinds that fail to resolve (assume role, web identity, profile) do not repeat the secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-secrets-'));
    try {
      const profileFile = join(dir, 'credentials');
      writeFileSync(
        profileFile,
        `[marked]\naws_access_key_id = AKIDMARKED\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\n`,
      );
      const sts = `http://127.0.0.1:${await freePort()}`;
      const read = (credentials: ClientConfig['credentials']) =>
        lastValueFrom(
          fromKinesis({
            region: 'us-east-1',
            endpoint: kinesis.endpoint,
            credentials,
            stream: 'missing',
            backoff: { listShards: fast },
          }).pipe(take(1)),
        );
      const views = [
        await failureOf(() =>
          read({
            type: 'ASSUME_ROLE',
            roleArn: 'arn:aws:iam::123456789012:role/r',
            sessionName: 's',
            stsEndpoint: sts,
            base: {
              type: 'BASIC',
              accessKeyId: 'AKIDMARKED',
              secretAccessKey: SECRET,
              sessionToken: TOKEN,
            },
          } as never),
        ),
        await failureOf(() =>
          read({
            type: 'ASSUME_ROLE',
            roleArn: 'arn:aws:iam::123456789012:role/r',
            sessionName: 's',
            stsEndpoint: sts,
            base: { type: 'PROFILE', name: 'marked', path: profileFile },
          } as never),
        ),
        await failureOf(() => read({ type: 'PROFILE', name: 'other', path: profileFile } as never)),
        await failureOf(() =>
          read({
            type: 'WEB_IDENTITY_TOKEN',
            roleArn: 'arn:aws:iam::123456789012:role/r',
            tokenFile: join(dir, 'no-token'),
            stsEndpoint: sts,
          } as never),
        ),
      ];
      for (const view of views) expect(leaked(view), view).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('log lines of the metrics logger carry no secret', async () => {
    const lines: string[] = [];
    const hub = new Subject<Metric>();
    const logged = lastValueFrom(
      hub.pipe(logMetrics({ intervalMs: 10, log: (line) => void lines.push(line) })),
      { defaultValue: [] },
    );
    const sink = toKinesis({
      ...marked(kinesis.endpoint),
      stream: 'missing',
      metrics: hub,
      retry: fast,
    });
    of({ data: 'x', partitionKey: 'k' }).subscribe(sink);
    await expect(sink.done).rejects.toBeDefined();
    hub.complete();
    await logged;
    expect(leaked(lines.join('\n'))).toBe(false);
  });

  it('the CLI prints no secret, from the environment or from -o options', async () => {
    const env = {
      AWS_ACCESS_KEY_ID: freshCredentials().accessKeyId,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: TOKEN,
      AWS_REGION: 'us-east-1',
    };
    const results = [
      await runCli(['put', 'missing', '--endpoint', kinesis.endpoint], { stdin: 'a\n', env }),
      await runCli(['tail', 'missing', '--endpoint', kinesis.endpoint], { env }),
      await runCli(
        [
          'put',
          'missing',
          '--endpoint',
          kinesis.endpoint,
          '-o',
          'aws.credentials.provider=BASIC',
          '-o',
          'aws.credentials.basic.accesskeyid=x',
          '-o',
          `aws.credentials.basic.secretkey=${SECRET}`,
          '-o',
          `aws.credentials.basic.secretkey:${SECRET}`,
        ],
        { stdin: 'a\n' },
      ),
      await runCli(
        [
          'put',
          'missing',
          '--endpoint',
          kinesis.endpoint,
          '-o',
          `aws.credentials.provider.basic.secretkey=${SECRET}`,
        ],
        { stdin: 'a\n' },
      ),
    ];
    for (const result of results) {
      expect(result.code).not.toBe(0);
      expect(leaked(result.stdout + result.stderr), result.stderr).toBe(false);
    }
  });

  it('nothing written to the console or the standard streams during this file holds a secret', () => {
    expect(leaked(written.join('\n'))).toBe(false);
  });
});

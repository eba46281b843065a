import { firstValueFrom, from, lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { loadModule } from '../../src/module/loadModule.js';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';

/** The seed's remote-module ingress, as written. */
const INGRESS_YAML = `version: "1.0"

module:
    meta:
        type: remote
    spec:
        ingresses:
          - ingress:
              meta:
                type: statefun.kinesis.io/routable-protobuf-ingress
                id: example-namespace/messages
              spec:
                awsRegion:
                  type: specific
                  id: us-west-1
                awsCredentials:
                  type: basic
                  accessKeyId: my_access_key_id
                  secretAccessKey: my_secret_access_key
                startupPosition:
                  type: earliest
                streams:
                  - stream: stream-1
                    typeUrl: com.googleapis/org.apache.flink.statefun.docs.models.User
                    targets:
                      - example-namespace/my-function-1
                      - example-namespace/my-function-2
                  - stream: stream-2
                    typeUrl: com.googleapis/org.apache.flink.statefun.docs.models.User
                    targets:
                      - example-namespace/my-function-1
                clientConfigProperties:
                  - SocketTimeout: 9999
                  - MaxConnections: 15
`;

/** The seed's remote-module egress, as written. */
const EGRESS_YAML = `version: "1.0"

module:
    meta:
        type: remote
    spec:
        egresses:
          - egress:
              meta:
                type: statefun.kinesis.io/generic-egress
                id: example/output-messages
              spec:
                awsRegion:
                  type: custom-endpoint
                  endpoint: https://localhost:4567
                  id: us-west-1
                awsCredentials:
                  type: profile
                  profileName: john-doe
                  profilePath: /path/to/profile/config
                maxOutstandingRecords: 9999
                clientConfigProperties:
                  - ThreadingModel: POOLED
                  - ThreadPoolSize: 10
`;

const problem = (yaml: string): string => {
  try {
    loadModule(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('the seed StateFun module', () => {
  it('loads the ingress: several streams, each with a typeUrl and targets', () => {
    const module = loadModule(INGRESS_YAML);
    const ingress = module.ingress('example-namespace/messages');
    expect(ingress.type).toBe('statefun.kinesis.io/routable-protobuf-ingress');
    expect(ingress.streams).toEqual([
      {
        stream: 'stream-1',
        typeUrl: 'com.googleapis/org.apache.flink.statefun.docs.models.User',
        targets: ['example-namespace/my-function-1', 'example-namespace/my-function-2'],
      },
      {
        stream: 'stream-2',
        typeUrl: 'com.googleapis/org.apache.flink.statefun.docs.models.User',
        targets: ['example-namespace/my-function-1'],
      },
    ]);
    expect(ingress.sourceConfig).toEqual({
      streams: ['stream-1', 'stream-2'],
      region: 'us-west-1',
      credentials: {
        type: 'BASIC',
        accessKeyId: 'my_access_key_id',
        secretAccessKey: 'my_secret_access_key',
      },
      initialPosition: 'TRIM_HORIZON',
    });
    expect(module.warnings).toEqual([
      'example-namespace/messages: clientConfigProperties (SocketTimeout, MaxConnections) are Java client settings; ignored',
    ]);
  });

  it('loads the egress: custom endpoint, profile credentials, max outstanding records', () => {
    const egress = loadModule(EGRESS_YAML).egress('example/output-messages');
    expect(egress.sinkConfig).toEqual({
      stream: '(named by each record)',
      region: 'us-west-1',
      endpoint: 'https://localhost:4567',
      credentials: { type: 'PROFILE', name: 'john-doe', path: '/path/to/profile/config' },
      requests: { maxBuffered: 9999 },
    });
  });

  it('reads startup positions latest (default), earliest and date', () => {
    const withPosition = (position: string): unknown =>
      loadModule(INGRESS_YAML.replace('                  type: earliest', position)).ingress(
        'example-namespace/messages',
      ).sourceConfig.initialPosition;
    expect(withPosition('                  type: latest')).toBe('LATEST');
    expect(
      withPosition(
        '                  type: date\n                  date: 2020-02-01 04:15:00.00 Z',
      ),
    ).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: new Date('2020-02-01T04:15:00.000Z'),
    });
    expect(
      loadModule(INGRESS_YAML.replace(/ {16}startupPosition:\n {18}type: earliest\n/, '')).ingress(
        'example-namespace/messages',
      ).sourceConfig.initialPosition,
    ).toBe('LATEST');
  });

  it('reads the same module as JSON', () => {
    const json = JSON.stringify({
      version: '1.0',
      module: {
        meta: { type: 'remote' },
        spec: {
          ingresses: [
            {
              ingress: {
                meta: { type: 'io.statefun.kinesis.v1/ingress', id: 'ns/in' },
                spec: { streams: [{ stream: 's', typeUrl: 't', targets: ['ns/f'] }] },
              },
            },
          ],
        },
      },
    });
    expect(loadModule(json).ingress('ns/in').sourceConfig).toEqual({
      streams: ['s'],
      initialPosition: 'LATEST',
    });
  });
});

describe('module errors point at the YAML path and line', () => {
  it('a bad stream name', () => {
    expect(problem(INGRESS_YAML.replace('- stream: stream-2', '- stream: "stream 2"'))).toBe(
      'module.spec.ingresses[0].ingress.spec.streams[1].stream (line 28): expected a stream name (1-128 characters of a-z, A-Z, 0-9, _ . -), got "stream 2"',
    );
  });
  it('a missing key is reported at its parent', () => {
    expect(
      problem(
        INGRESS_YAML.replace(
          '                    typeUrl: com.googleapis/org.apache.flink.statefun.docs.models.User\n                    targets:\n                      - example-namespace/my-function-1\n',
          '                    targets:\n                      - example-namespace/my-function-1\n',
        ),
      ),
    ).toContain(
      'module.spec.ingresses[0].ingress.spec.streams[0].typeUrl (line 23): expected a non-empty string, got undefined',
    );
  });
  it('a misspelt key, with a did-you-mean', () => {
    expect(problem(INGRESS_YAML.replace('startupPosition:', 'startupPositon:'))).toContain(
      'module.spec.ingresses[0].ingress.spec.startupPositon (line 20): expected no such key (did you mean "startupPosition"?)',
    );
  });
  it('an unknown ingress type, region type or credentials type', () => {
    expect(
      problem(INGRESS_YAML.replace('routable-protobuf-ingress', 'routable-protobuf-ingres')),
    ).toContain(
      'module.spec.ingresses[0].ingress.meta.type (line 10): expected one of statefun.kinesis.io/routable-protobuf-ingress, io.statefun.kinesis.v1/ingress (did you mean "statefun.kinesis.io/routable-protobuf-ingress"?)',
    );
    expect(problem(INGRESS_YAML.replace('type: specific', 'type: specfic'))).toContain(
      'module.spec.ingresses[0].ingress.spec.awsRegion.type (line 14): expected one of default, specific, custom-endpoint (did you mean "specific"?)',
    );
    expect(problem(INGRESS_YAML.replace('type: basic', 'type: sys-prop'))).toMatch(
      /awsCredentials\.type \(line 17\): expected .*JVM/,
    );
  });
  it('a bad date, a bad max outstanding records, a target without namespace, an empty stream list', () => {
    expect(
      problem(
        INGRESS_YAML.replace(
          '                  type: earliest',
          '                  type: date\n                  date: yesterday',
        ),
      ),
    ).toContain(
      'startupPosition.date (line 22): expected a date like 2020-02-01 04:15:00.00 Z, got "yesterday"',
    );
    expect(problem(EGRESS_YAML.replace('9999', '-1'))).toContain(
      'module.spec.egresses[0].egress.spec.maxOutstandingRecords (line 21): expected a positive integer, got -1',
    );
    expect(
      problem(INGRESS_YAML.replace('- example-namespace/my-function-2', '- my-function-2')),
    ).toContain('streams[0].targets[1] (line 27): expected a function type namespace/name');
    expect(
      problem(
        'version: "1.0"\nmodule:\n  meta: { type: remote }\n  spec:\n    ingresses:\n      - ingress:\n          meta: { type: io.statefun.kinesis.v1/ingress, id: a/b }\n          spec: { streams: [] }\n',
      ),
    ).toContain(
      'module.spec.ingresses[0].ingress.spec.streams (line 8): expected a non-empty list of streams, got []',
    );
  });
  it('invalid YAML, a wrong version, duplicate ids and streams, unknown names', () => {
    expect(problem('version: "1.0"\nmodule: [\n')).toMatch(
      /^module \(line \d\): expected valid YAML or JSON/,
    );
    expect(problem(INGRESS_YAML.replace('version: "1.0"', 'version: "9"'))).toContain(
      'version (line 1): expected version "1.0" or "2.0", got "9"',
    );
    expect(problem(INGRESS_YAML.replace('stream: stream-2', 'stream: stream-1'))).toContain(
      'module.spec.ingresses[0].ingress.spec.streams[1].stream (line 28): expected a stream not listed before',
    );
    const module = loadModule(INGRESS_YAML);
    expect(() => module.ingress('example-namespace/message')).toThrowError(
      'ingress: expected one of example-namespace/messages (did you mean "example-namespace/messages"?), got "example-namespace/message"',
    );
    expect(() => module.egress('x/y')).toThrowError(
      'egress: expected one of (none declared), got "x/y"',
    );
    expect(() => module.routedTo('example-namespace/my-function-3')).toThrowError(
      /did you mean "example-namespace\/my-function-1"/,
    );
  });
});

describe('a module against kinesis-local', () => {
  const kinesis = useKinesisLocal();

  it('the egress writes records to the streams they name; the ingress reads both streams with their routes', async () => {
    const credentials = freshCredentials();
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'stream-1', 1);
    await kinesis.createStream(admin, 'stream-2', 1);
    const yaml = `version: "1.0"
module:
  meta:
    type: remote
  spec:
    ingresses:
      - ingress:
          meta:
            type: statefun.kinesis.io/routable-protobuf-ingress
            id: example-namespace/messages
          spec:
            awsRegion: { type: custom-endpoint, endpoint: "${kinesis.endpoint}", id: us-east-1 }
            awsCredentials: { type: basic, accessKeyId: "${credentials.accessKeyId}", secretAccessKey: x }
            startupPosition: { type: earliest }
            streams:
              - { stream: stream-1, typeUrl: type/a, targets: [ns/f1, ns/f2] }
              - { stream: stream-2, typeUrl: type/b, targets: [ns/f1] }
    egresses:
      - egress:
          meta:
            type: statefun.kinesis.io/generic-egress
            id: example/output-messages
          spec:
            awsRegion: { type: custom-endpoint, endpoint: "${kinesis.endpoint}", id: us-east-1 }
            awsCredentials: { type: basic, accessKeyId: "${credentials.accessKeyId}", secretAccessKey: x }
            maxOutstandingRecords: 100
`;
    const module = loadModule(yaml);
    const sink = module.egress('example/output-messages').sink({ flushBuffer: { timeoutMs: 10 } });
    from([
      { stream: 'stream-1', partitionKey: 'k1', data: 'one' },
      { stream: 'stream-2', partitionKey: 'k2', data: 'two' },
      { stream: 'stream-1', partitionKey: 'k3', data: 'three' },
    ]).subscribe(sink);
    const summary = await sink.done;
    expect(summary.records).toBe(3);
    const routed = await lastValueFrom(
      module.ingress('example-namespace/messages').records().pipe(take(3), toArray()),
    );
    const seen = routed.map((r) => [
      r.record.stream,
      new TextDecoder().decode(r.record.data),
      r.typeUrl,
      r.targets,
    ]);
    expect(seen.sort()).toEqual([
      ['stream-1', 'one', 'type/a', ['ns/f1', 'ns/f2']],
      ['stream-1', 'three', 'type/a', ['ns/f1', 'ns/f2']],
      ['stream-2', 'two', 'type/b', ['ns/f1']],
    ]);
    const forF2 = await firstValueFrom(module.routedTo('ns/f2').pipe(take(2), toArray()));
    expect(forF2.map((r) => r.record.stream)).toEqual(['stream-1', 'stream-1']);
  });

  it('a generic egress record without a stream fails the sink clearly', async () => {
    const module = loadModule(EGRESS_YAML);
    const sink = module
      .egress('example/output-messages')
      .sink({ endpoint: kinesis.endpoint, credentials: freshCredentials() });
    sink.next({ partitionKey: 'k', data: 'x' });
    await expect(sink.done).rejects.toThrow(
      'egress example/output-messages: record.stream: expected a stream on every record',
    );
  });
});

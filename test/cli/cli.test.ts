import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshCredentials, useKinesisLocal } from '../support/emulators.js';
import { runCli } from './runCli.js';

const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rx-kinesis: help and bad input', () => {
  it('prints help for the tool and for every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: rx-kinesis <command>');
    for (const command of ['tail', 'put', 'copy', 'run']) {
      const help = await runCli([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: rx-kinesis ${command}`);
    }
  });

  it('refuses bad input with a clear message and exit code 2', async () => {
    const unknown = await runCli(['tial', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "tial" (did you mean "tail"?)');
    const noStream = await runCli(['tail', '--region', 'us-east-1']);
    expect([noStream.code, noStream.stderr]).toEqual([
      2,
      'rx-kinesis tail: tail needs a stream name or ARN\nRun rx-kinesis tail --help for usage.\n',
    ]);
    const badOption = await runCli(['tail', 's', '--region', 'us-east-1', '--folow']);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain('unknown option --folow (did you mean "--follow"?)');
    const badFlink = await runCli([
      'tail',
      's',
      '--region',
      'us-east-1',
      '-o',
      'scan.shard.getrecords.maxrecordcont=5',
    ]);
    expect(badFlink.code).toBe(2);
    expect(badFlink.stderr).toContain('(did you mean "scan.shard.getrecords.maxrecordcount"?)');
    const range = await runCli([
      'tail',
      's',
      '--region',
      'us-east-1',
      '-o',
      'scan.shard.getrecords.maxrecordcount=0',
    ]);
    expect(range.stderr).toContain(
      'scan.shard.getrecords.maxrecordcount: expected an Integer between 1 and 10000 (out of range), got "0"',
    );
    const noFile = await runCli(['run', join(dir, 'missing.yaml')]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('cannot read');
    const badModule = join(dir, 'bad.yaml');
    writeFileSync(
      badModule,
      'version: "1.0"\nmodule:\n  meta: { type: remote }\n  spec:\n    ingresses:\n      - ingress:\n          meta: { type: io.statefun.kinesis.v1/ingress, id: a/b }\n          spec:\n            streams:\n              - { stream: "bad name", typeUrl: t, targets: [a/f] }\n',
    );
    const bad = await runCli(['run', badModule, '--check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      'module.spec.ingresses[0].ingress.spec.streams[0].stream (line 10): expected a stream name',
    );
  });
});

describe('rx-kinesis against kinesis-local', () => {
  const kinesis = useKinesisLocal();
  const credentials = freshCredentials();
  const env = (): Record<string, string> => ({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
  const at = (): string[] => ['--endpoint', kinesis.endpoint];

  it('put writes stdin lines; tail --from trim_horizon prints them and stops once caught up', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'lines', 2);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}, ünïcödé`);
    const written = await runCli(['put', 'lines', ...at()], {
      stdin: `${lines.join('\n')}\n\n`,
      env: env(),
    });
    expect(written.stderr).toContain('put lines: 50 records');
    expect(written.code).toBe(0);
    const tailed = await runCli(
      ['tail', 'lines', ...at(), '--from', 'trim_horizon', '--quiet-ms', '1000'],
      { env: env() },
    );
    expect(tailed.code).toBe(0);
    expect(tailed.stdout.trim().split('\n').sort()).toEqual([...lines].sort());
    const json = await runCli(
      ['tail', 'lines', ...at(), '--from', 'earliest', '--format', 'json', '-n', '3'],
      { env: env() },
    );
    expect(json.code).toBe(0);
    const records = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toHaveLength(3);
    expect(records[0]).toMatchObject({
      stream: 'lines',
      shardId: expect.stringMatching(/^shardId-/),
      data: expect.stringMatching(/^line \d+/),
    });
  });

  it('--trust-all-certificates reaches the self-signed TLS port with the default protocol', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'tls-lines', 1);
    const tls = ['--endpoint', kinesis.server().tlsEndpoint];
    const refused = await runCli(['put', 'tls-lines', ...tls, '--quiet'], {
      stdin: 'a\n',
      env: env(),
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/self.signed/i);
    const written = await runCli(['put', 'tls-lines', ...tls, '--trust-all-certificates'], {
      stdin: 'a\nb\n',
      env: env(),
    });
    expect(written.stderr).toContain('put tls-lines: 2 records');
    expect(written.code).toBe(0);
    const tailed = await runCli(
      [
        'tail',
        'tls-lines',
        ...tls,
        '--trust-all-certificates',
        '--from',
        'trim_horizon',
        '--quiet-ms',
        '500',
      ],
      { env: env() },
    );
    expect(tailed.code).toBe(0);
    expect(tailed.stdout).toBe('a\nb\n');
  });

  it('put --format json checks each line and can key by a field', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'events', 1);
    const bad = await runCli(['put', 'events', ...at(), '--format', 'json'], {
      stdin: '{"a":1}\nnot json\n',
      env: env(),
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('stdin line 2 is not JSON');
    const ok = await runCli(['put', 'events', ...at(), '--format', 'json', '--key-field', 'user'], {
      stdin: '{"user":"u1","n":1}\n{"user":"u2","n":2}\n',
      env: env(),
    });
    expect(ok.code).toBe(0);
    const tailed = await runCli(
      [
        'tail',
        'events',
        ...at(),
        '--from',
        'trim_horizon',
        '--format',
        'json',
        '--quiet-ms',
        '500',
      ],
      { env: env() },
    );
    const keys = tailed.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { partitionKey: string }).partitionKey);
    expect(keys.sort()).toEqual(['u1', 'u2']);
  });

  it('copy copies a stream with its partition keys', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'copy-from', 2);
    await kinesis.createStream(admin, 'copy-to', 1);
    const put = await runCli(['put', 'copy-from', ...at(), '--partition-key', 'same-key'], {
      stdin: 'a\nb\nc\n',
      env: env(),
    });
    expect(put.code).toBe(0);
    const copied = await runCli(
      ['copy', 'copy-from', 'copy-to', ...at(), '--from', 'trim_horizon', '--quiet-ms', '1000'],
      { env: env() },
    );
    expect(copied.code).toBe(0);
    expect(copied.stderr).toContain('copy copy-from → copy-to: 3 records');
    const tailed = await runCli(
      [
        'tail',
        'copy-to',
        ...at(),
        '--from',
        'trim_horizon',
        '--format',
        'json',
        '--quiet-ms',
        '500',
      ],
      { env: env() },
    );
    const records = tailed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { data: string; partitionKey: string; stream: string });
    expect(records.map((r) => [r.stream, r.data, r.partitionKey])).toEqual([
      ['copy-to', 'a', 'same-key'],
      ['copy-to', 'b', 'same-key'],
      ['copy-to', 'c', 'same-key'],
    ]);
  });

  it('tail --follow from a timestamp waits for new records (until --limit)', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'live', 1);
    const since = String((Date.now() - 1000) / 1000);
    const follower = runCli(['tail', 'live', ...at(), '--from', since, '--follow', '-n', '3'], {
      env: env(),
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await runCli(['put', 'live', ...at(), '--quiet'], { stdin: 'x\ny\n', env: env() });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await runCli(['put', 'live', ...at(), '--quiet'], { stdin: 'z\n', env: env() });
    const result = await follower;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('x\ny\nz\n');
  });

  it('run: stdin to an egress, ingresses to stdout with their routes', async () => {
    const admin = kinesis.client(credentials);
    await kinesis.createStream(admin, 'module-in-1', 1);
    await kinesis.createStream(admin, 'module-in-2', 1);
    const file = join(dir, 'module.yaml');
    const region = `{ type: custom-endpoint, endpoint: "${kinesis.endpoint}", id: us-east-1 }`;
    writeFileSync(
      file,
      `version: "1.0"
module:
  meta:
    type: remote
  spec:
    ingresses:
      - ingress:
          meta: { type: statefun.kinesis.io/routable-protobuf-ingress, id: ns/messages }
          spec:
            awsRegion: ${region}
            startupPosition: { type: earliest }
            streams:
              - { stream: module-in-1, typeUrl: type/user, targets: [ns/f1, ns/f2] }
              - { stream: module-in-2, typeUrl: type/user, targets: [ns/f1] }
    egresses:
      - egress:
          meta: { type: statefun.kinesis.io/generic-egress, id: ns/out }
          spec:
            awsRegion: ${region}
            maxOutstandingRecords: 100
`,
    );
    const check = await runCli(['run', file, '--check'], { env: env() });
    expect(check.code).toBe(0);
    expect(check.stdout).toBe(
      'ingress ns/messages (statefun.kinesis.io/routable-protobuf-ingress)\n  module-in-1 → ns/f1, ns/f2 as type/user\n  module-in-2 → ns/f1 as type/user\negress ns/out (statefun.kinesis.io/generic-egress)\n',
    );
    const written = await runCli(['run', file, '--no-ingress', '--egress', 'ns/out'], {
      stdin:
        '{"stream":"module-in-1","partitionKey":"k1","data":"hello"}\n{"stream":"module-in-2","partitionKey":"k2","data":{"n":2}}\n',
      env: env(),
    });
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('egress ns/out: 2 records');
    const read = await runCli(['run', file, '--quiet-ms', '1000'], { env: env() });
    expect(read.code).toBe(0);
    const lines = read.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l['stream'], l['data'], l['targets']]).sort()).toEqual([
      ['module-in-1', 'hello', ['ns/f1', 'ns/f2']],
      ['module-in-2', '{"n":2}', ['ns/f1']],
    ]);
    const onlyF2 = await runCli(['run', file, '--target', 'ns/f2', '--quiet-ms', '1000'], {
      env: env(),
    });
    expect(onlyF2.stdout.trim().split('\n')).toHaveLength(1);
    const missingKey = await runCli(['run', file, '--no-ingress', '--egress', 'ns/out'], {
      stdin: '{"stream":"module-in-1","data":"x"}\n',
      env: env(),
    });
    expect(missingKey.code).toBe(2);
    expect(missingKey.stderr).toContain('stdin line 1: expected a "partitionKey" string');
  });
});

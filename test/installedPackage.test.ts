import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-installed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// from the npm cache that `npm ci` filled: the same versions, no network needed
const install = (...specs: string[]) =>
  run(
    npm,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...specs],
    {
      cwd: dir,
      env: { ...process.env, npm_config_loglevel: 'error' },
      timeout: 240_000,
    },
  );

// Each launcher is asked to start: "ok" with the endpoint it answered on, or its error.
const LAUNCH = `
import { startKinesisLocal, startKinesalite } from 'rx-kinesis/node';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
const results = {};
for (const [name, start] of [['kinesis-local', startKinesisLocal], ['kinesalite', startKinesalite]]) {
  try {
    const server = await start();
    try {
      const { createKinesisClient } = await import('rx-kinesis');
      const client = createKinesisClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      const out = await client.send(new ListStreamsCommand({}));
      client.destroy();
      results[name] = Array.isArray(out.StreamNames) ? 'ok' : 'no answer';
    } finally {
      await server.stop();
    }
  } catch (error) {
    results[name] = error.name + ': ' + error.message;
  }
}
console.log(JSON.stringify(results));
`;

describe('rx-kinesis installed from its packed tarball', () => {
  it('says what to install for the emulators, then starts both once they are installed', async () => {
    if (!existsSync(join(root, 'dist/node/index.js')))
      await run(npm, ['run', 'build'], { cwd: root, timeout: 120_000 });
    await run(npm, ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBeDefined();
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }),
    );
    writeFileSync(join(dir, 'launch.mjs'), LAUNCH);
    await install(`./${tarball ?? ''}`, '@aws-sdk/client-kinesis@3.1143.0');

    const without = await run(process.execPath, ['launch.mjs'], { cwd: dir, timeout: 60_000 });
    expect(JSON.parse(without.stdout)).toEqual({
      'kinesis-local':
        'MissingPackageError: startKinesisLocal needs the package kinesis-local, which is not installed: npm install --save-dev kinesis-local@0.6.2',
      kinesalite:
        'MissingPackageError: startKinesalite needs the package kinesalite, which is not installed: npm install --save-dev kinesalite@3.3.3',
    });

    await install('kinesis-local@0.6.2', 'kinesalite@3.3.3');
    const withThem = await run(process.execPath, ['launch.mjs'], { cwd: dir, timeout: 120_000 });
    expect(JSON.parse(withThem.stdout)).toEqual({ 'kinesis-local': 'ok', kinesalite: 'ok' });
  }, 480_000);
});

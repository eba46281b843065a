import {
  CreateStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { build } from 'esbuild';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../examples/dashboard/startDashboard.js';
import type { WindowCountEvent } from '../../examples/dashboard/shared/feed.js';
import { type KinesisLocal, startKinesisLocal } from '../../src/node/startKinesisLocal.js';
import { createKinesisClient } from '../../src/client/createKinesisClient.js';
import { CHROMIUM_PATH, hasChromium, launchChromium } from './chromium.js';
import { type CountingProxy, startCountingProxy } from './countingProxy.js';
import { startCognitoStub } from '../config/support/cognitoStub.js';

const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const present = hasChromium();
const ci = process.env['CI'] === 'true';

if (!present) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! NO BROWSER: ${CHROMIUM_PATH} is missing, so the dashboard was NOT tested in a real\n` +
      `!! browser. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n` +
      `!! Under CI=true this is a failure.\n${line}\n`,
  );
}

describe('the dashboard in a real browser', () => {
  it.runIf(!present && ci)(
    'has Chromium under CI (a missing browser fails, it is not skipped)',
    () => {
      expect.fail(
        `no Chromium at ${CHROMIUM_PATH}: .ci/run installs it; the browser test cannot run`,
      );
    },
  );
  // shows up in the skipped list, next to the banner above
  if (!present && !ci) it.skip(`NO BROWSER at ${CHROMIUM_PATH}: the dashboard test did not run`);
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Counts per behavior, summed over every bar the page's window chart draws. */
function chartTotals(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#windows-chart rect.bar', (bars) => {
    const totals: Record<string, number> = {};
    for (const bar of bars) {
      const behavior = bar.getAttribute('data-behavior') ?? '?';
      totals[behavior] = (totals[behavior] ?? 0) + Number(bar.getAttribute('data-count'));
    }
    return totals;
  });
}

const sum = (windows: readonly WindowCountEvent[]): Record<string, number> => {
  const totals: Record<string, number> = {};
  for (const w of windows) totals[w.behavior] = (totals[w.behavior] ?? 0) + w.count;
  return totals;
};

describe.skipIf(!present)('the dashboard in a real browser (Chromium)', () => {
  let emulator: KinesisLocal;
  let proxy: CountingProxy;
  let dashboard: Dashboard;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    emulator = await startKinesisLocal();
    proxy = await startCountingProxy(emulator.endpoint);
    dir = mkdtempSync(join(tmpdir(), 'rx-kinesis-dashboard-test-'));
    dashboard = await startDashboard({
      kinesisEndpoint: emulator.endpoint,
      // only the page goes through the proxy: every call it counts is the page's own
      pageKinesisEndpoint: proxy.endpoint,
      stateFile: join(dir, 'state.json'),
      windowMs: 2_000,
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.stop();
    await proxy?.stop();
    await emulator?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const clicks = { pv: 5, cart: 3, fav: 2, buy: 1 } as const;
  const clicked = Object.values(clicks).reduce((a, b) => a + b, 0);

  it('draws the counts of the clicks, written from the page and counted by the backend', async () => {
    const page = await browser.newPage({ viewport: { width: 1160, height: 720 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(dashboard.url);
    await page.waitForFunction(
      () => document.querySelector('#feed-status')?.textContent === 'feed: open',
    );
    // the tail reads from LATEST: let it start before the shop writes
    await until('the page tail polling', () => (proxy.count('GetRecords') >= 2 ? true : undefined));

    for (const [behavior, times] of Object.entries(clicks))
      for (let i = 0; i < times; i += 1) await page.click(`#btn-${behavior}`);
    await page.waitForFunction(
      (n) =>
        document.querySelector('#sent')?.textContent?.endsWith(`acknowledged by Kinesis: ${n}`),
      clicked,
    );
    expect(proxy.count('PutRecords')).toBeGreaterThanOrEqual(1);
    // the page's reads and writes are the fetch client's own requests, not the SDK client's
    expect(proxy.calls.filter((c) => c.bySdk)).toEqual([]);

    // The chart, fed by SSE, shows exactly what was clicked, once the windows close.
    await page
      .waitForFunction(
        (expected) => {
          const totals: Record<string, number> = {};
          for (const bar of Array.from(document.querySelectorAll('#windows-chart rect.bar'))) {
            const behavior = bar.getAttribute('data-behavior') ?? '?';
            totals[behavior] = (totals[behavior] ?? 0) + Number(bar.getAttribute('data-count'));
          }
          return Object.entries(expected).every(([b, n]) => totals[b] === n);
        },
        clicks,
        { timeout: 45_000 },
      )
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(dir, 'failed.png'), fullPage: true });
        console.error('chart', await chartTotals(page), 'backend windows', dashboard.windows);
        console.error('late', dashboard.late(), 'errors', dashboard.errors, 'screenshot in', dir);
        throw error;
      });
    expect(await chartTotals(page)).toEqual(clicks);
    expect(sum(dashboard.windows)).toEqual(clicks);
    expect(dashboard.errors).toEqual([]);
    expect(dashboard.late()).toBe(0);

    // The counts stream holds the same windows (writeToKinesis).
    const reader = createKinesisClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const shards = await reader.send(new ListShardsCommand({ StreamName: 'behavior-counts' }));
    const written: WindowCountEvent[] = [];
    for (const shard of shards.Shards ?? []) {
      const { ShardIterator } = await reader.send(
        new GetShardIteratorCommand({
          StreamName: 'behavior-counts',
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records } = await reader.send(new GetRecordsCommand({ ShardIterator }));
      for (const r of Records ?? [])
        written.push(JSON.parse(new TextDecoder().decode(r.Data)) as WindowCountEvent);
    }
    (reader as { destroy?: () => void }).destroy?.();
    expect(sum(written)).toEqual(clicks);

    // The tail read every click back; the lag chart has a bar per shard for both readers.
    expect(await page.$$eval('#tail li', (items) => items.length)).toBe(clicked);
    const lagBars = await page.$$eval('#lag-chart rect.lag', (bars) =>
      bars
        .map((bar) => `${bar.getAttribute('data-reader')} ${bar.getAttribute('data-shard')}`)
        .sort(),
    );
    expect(lagBars).toEqual([
      'backend shardId-000000000000',
      'backend shardId-000000000001',
      'page tail shardId-000000000000',
      'page tail shardId-000000000001',
    ]);

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });
    expect(readFileSync(join(artifacts, 'dashboard.png')).length).toBeGreaterThan(10_000);

    // The backend saved its state: checkpoint and open windows, together.
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      checkpoint: { shards: Record<string, unknown> };
      windows: { watermark: number | null };
    };
    expect(Object.keys(saved.checkpoint.shards).length).toBeGreaterThan(0);
    expect(saved.windows.watermark).not.toBeNull();

    // Teardown while the page stays open (what `pagehide` runs): the SSE feed ends at the
    // backend, its per-client subscription is unsubscribed, and the page's fromKinesis stops.
    const before = proxy.count('GetRecords');
    await sleep(1_000);
    expect(proxy.count('GetRecords')).toBeGreaterThan(before); // it was polling
    await page.evaluate(() => window.dashboard?.stop());
    await until('the backend to see client 1 go', () =>
      dashboard.clientLog.some((e) => e.client === 1 && e.event === 'unsubscribed')
        ? true
        : undefined,
    );
    expect(dashboard.clientLog.filter((e) => e.client === 1).map((e) => e.event)).toEqual([
      'connected',
      'feed-ended',
      'unsubscribed',
    ]);
    await sleep(500); // a request already in flight may still land
    const stopped = proxy.count();
    await sleep(2_000); // eight poll intervals
    expect(proxy.count()).toBe(stopped);
    expect(page.isClosed()).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it('closing a page ends its SSE feed and its subscription at the backend, its reads and writes', async () => {
    const page = await browser.newPage();
    await page.goto(dashboard.url);
    const client = await until(
      'a second client',
      () => dashboard.clientLog.find((e) => e.event === 'connected' && e.client !== 1)?.client,
    );
    // simulated users write from this page until it closes
    await page.check('#simulate');
    await page.waitForFunction(() =>
      /acknowledged by Kinesis: ([5-9]|\d\d+)$/.test(
        document.querySelector('#sent')?.textContent ?? '',
      ),
    );
    const before = proxy.count('GetRecords');
    await until('the second page to poll', () =>
      proxy.count('GetRecords') > before + 2 ? true : undefined,
    );
    await page.close();
    await until('the backend to see the closed page go', () =>
      dashboard.clientLog.some((e) => e.client === client && e.event === 'unsubscribed')
        ? true
        : undefined,
    );
    expect(dashboard.clientLog.filter((e) => e.client === client).map((e) => e.event)).toEqual([
      'connected',
      'feed-ended',
      'unsubscribed',
    ]);
    await sleep(500);
    const closed = proxy.count();
    await sleep(1_500);
    expect(proxy.count()).toBe(closed);
  }, 60_000);

  const HTML =
    '<!doctype html><title>cognito</title><script type="module">' +
    "import { readWithCognito } from '/cognitoEntry.js'; window.readWithCognito = readWithCognito;" +
    '</script>';

  it('a page reads Kinesis with keys from a Cognito identity pool (COGNITO kind, loaded on first use)', async () => {
    const cognito = await startCognitoStub('710000000002');
    const owner = createKinesisClient({
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      credentials: { accessKeyId: '710000000002', secretAccessKey: 'x' },
    }) as KinesisClient;
    // the page as a splitting bundler builds it: the Cognito client in its own chunk
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./cognitoEntry.ts', import.meta.url))],
      bundle: true,
      splitting: true,
      outdir: '/pages',
      write: false,
      platform: 'browser',
      format: 'esm',
      logLevel: 'silent',
    });
    const files = new Map(bundle.outputFiles.map((f) => [f.path.replace('/pages', ''), f.text]));
    expect(files.size).toBeGreaterThan(1);
    const served: string[] = [];
    const server = createServer((request, response) => {
      served.push(request.url ?? '');
      const body = request.url === '/' ? HTML : files.get(request.url ?? '');
      if (body === undefined) {
        response.writeHead(404).end();
        return;
      }
      const type = request.url === '/' ? 'text/html' : 'text/javascript';
      response.writeHead(200, { 'content-type': type }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const page = await browser.newPage();
    try {
      await owner.send(new CreateStreamCommand({ StreamName: 'cognito-page', ShardCount: 1 }));
      await waitUntilStreamExists(
        { client: owner, maxWaitTime: 30, minDelay: 1 },
        { StreamName: 'cognito-page' },
      );
      await owner.send(
        new PutRecordsCommand({
          StreamName: 'cognito-page',
          Records: ['a', 'b', 'c'].map((v) => ({
            PartitionKey: v,
            Data: new TextEncoder().encode(v),
          })),
        }),
      );
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => 'readWithCognito' in window);
      const loadedAtStart = served.length;
      const read = await page.evaluate(
        ([endpoint, cognitoEndpoint]) =>
          (
            window as unknown as {
              readWithCognito: (e: string, c: string, s: string, n: number) => Promise<string[]>;
            }
          ).readWithCognito(endpoint as string, cognitoEndpoint as string, 'cognito-page', 3),
        [emulator.endpoint, cognito.endpoint],
      );
      expect(read).toEqual(['a', 'b', 'c']);
      // the Cognito code came in chunks fetched only when the kind was first used
      expect(
        served.slice(loadedAtStart).filter((url) => url.endsWith('.js')).length,
      ).toBeGreaterThan(0);
      // the keys came from the pool (the stream lives in the account they name)
      expect(cognito.calls.map((c) => c.action)).toEqual(['GetId', 'GetCredentialsForIdentity']);
    } finally {
      await page.close();
      owner.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await cognito.stop();
    }
  }, 60_000);
});

import { readFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { PageConfig } from '../shared/feed.js';

const pageDir = fileURLToPath(new URL('../page/', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface PageServer {
  readonly url: string;
  /** Bytes of the page's bundle (minified). */
  readonly bundleBytes: number;
  stop(): Promise<void>;
}

/**
 * Bundles the page (`page/main.ts`) with esbuild for the browser, so it gets
 * the SDK's browser build (fetch) and rx-kinesis's `browser` field, and
 * serves it with `index.html` and the page's `/config.json` on a free
 * loopback port (`port` to choose one).
 */
export async function startPageServer(config: PageConfig, port = 0): Promise<PageServer> {
  const bundle = await build({
    entryPoints: [`${pageDir}main.ts`],
    bundle: true,
    write: false,
    minify: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
    absWorkingDir: root,
  });
  const script = bundle.outputFiles[0]?.contents ?? new Uint8Array();
  const html = await readFile(`${pageDir}index.html`);
  const files: Record<string, { type: string; body: Uint8Array | string }> = {
    '/': { type: 'text/html; charset=utf-8', body: html },
    '/main.js': { type: 'text/javascript; charset=utf-8', body: script },
    '/config.json': { type: 'application/json', body: JSON.stringify(config) },
  };
  const server: Server = createServer((request, response) => {
    const file = files[request.url ?? '/'];
    if (file === undefined) {
      response.writeHead(request.url === '/favicon.ico' ? 204 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    bundleBytes: script.length,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

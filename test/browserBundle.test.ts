import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// DESIGN.md principle 7: the core runs in a browser bundle. esbuild with
// platform 'browser' fails on any Node built-in the core pulls in, and honours
// the package's "browser" field that swaps the Node request handler.
describe('browser bundle', () => {
  for (const entry of ['src/index.ts', 'src/testing/index.ts']) {
    it(`bundles ${entry} for the browser without Node built-ins`, async () => {
      const result = await build({
        entryPoints: [`${root}${entry}`],
        bundle: true,
        write: false,
        platform: 'browser',
        format: 'esm',
        metafile: true,
        logLevel: 'silent',
        absWorkingDir: root,
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((input) => input.includes('src/node/'))).toBe(false);
      expect(inputs.some((input) => input.includes('node-http-handler'))).toBe(false);
      const text = result.outputFiles[0]?.text ?? '';
      expect(text).not.toMatch(/from\s+["']node:/);
      expect(text.length).toBeGreaterThan(1000);
    });
  }
});

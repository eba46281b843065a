import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { docBlocks } from './docBlocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

// Every ts block of README.md and docs/, pasted verbatim into its own module of a scratch
// project inside this package (so `rx-kinesis`, `rx-kinesis/node`, ... resolve to the built
// package by its own name, as in a user's app), type-checked with the project's strict settings.
describe('docs are code', () => {
  it('every ts block in README.md and docs/ compiles as written', async () => {
    // the blocks import the package by name: its built declarations (npm test builds first)
    if (!existsSync(join(root, 'dist', 'index.d.ts')))
      await run('npm', ['run', 'build'], { cwd: root, timeout: 120_000 });
    const blocks = docBlocks(root);
    expect(blocks.length).toBeGreaterThan(10);
    const dir = join(root, '.tmp', 'docs-check');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const names = blocks.map((block, i) => {
      const name = `${block.file.replace(/[^\w]+/g, '_')}_${block.line}_${i}.ts`;
      // a block without imports or exports would be a script: make it a module (top-level await)
      const code = /^\s*(import|export)\s/m.test(block.code)
        ? block.code
        : `${block.code}\nexport {};`;
      writeFileSync(join(dir, name), `${code}\n`);
      return name;
    });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../tsconfig.json',
        compilerOptions: { noEmit: true, noUnusedLocals: false, types: ['node'] },
        include: ['*.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(
      process.execPath,
      [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
      {
        cwd: root,
      },
    ).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    // name each error by its Markdown file and line
    const where = (text: string): string =>
      text.replace(
        /\.tmp\/docs-check\/(\S+?)\.ts\((\d+),(\d+)\)/g,
        (_m, name: string, line: string) => {
          const index = names.indexOf(`${name}.ts`);
          const block = blocks[index];
          return block === undefined ? name : `${block.file}:${block.line + Number(line)}`;
        },
      );
    expect(where(result)).toBe('');
  }, 120_000);
});

// The blocks that run without AWS (they read and write the in-memory FakeKinesis) are run too,
// verbatim, by vitest in a child process: a block that is a test file runs its tests; any other
// block runs top to bottom and must not throw.
describe('docs that run', () => {
  it('every ts block that uses rx-kinesis/testing runs as written', async () => {
    if (!existsSync(join(root, 'dist', 'index.d.ts')))
      await run('npm', ['run', 'build'], { cwd: root, timeout: 120_000 });
    const runnable = docBlocks(root).filter((b) => b.code.includes("from 'rx-kinesis/testing'"));
    expect(runnable.length).toBeGreaterThanOrEqual(2);
    const dir = join(root, '.tmp', 'docs-run');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    runnable.forEach((block, i) => {
      const isTest = /\b(it|test)\(/.test(block.code);
      const code = isTest
        ? block.code
        : `${block.code}\nimport { it as ranAsWritten } from 'vitest';\nranAsWritten('ran', () => undefined);`;
      writeFileSync(
        join(dir, `${block.file.replace(/[^\w]+/g, '_')}_${block.line}_${i}.test.ts`),
        `${code}\n`,
      );
    });
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      "export default { test: { include: ['*.test.ts'], env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } } };\n",
    );
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const result = await run(
      process.execPath,
      [
        vitest,
        'run',
        '--root',
        dir,
        '--config',
        join(dir, 'vitest.config.mjs'),
        '--reporter',
        'dot',
      ],
      {
        cwd: root,
        timeout: 120_000,
        env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      },
    ).then(
      ({ stdout }) => ({ ok: true, stdout }),
      (error: { stdout?: string; stderr?: string }) => ({
        ok: false,
        stdout: `${error.stdout ?? ''}\n${error.stderr ?? ''}`,
      }),
    );
    expect(result.ok, result.stdout).toBe(true);
    // eslint-disable-next-line no-control-regex
    const plain = result.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(new RegExp(`Test Files\\s+${runnable.length} passed`));
  }, 180_000);
});

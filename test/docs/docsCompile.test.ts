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

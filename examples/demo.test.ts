import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// `npm start` as a user runs it, smaller: it must finish, verify its own output
// and exit by itself (no process.exit: a leaked timer or socket would hang it).
describe('npm start (examples/demo.ts)', () => {
  it('runs the full pipeline against its own emulator and exits 0 by itself', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx', 'examples/demo.ts'],
          { cwd: root, env: { ...process.env, DEMO_EVENTS: '600' }, timeout: 120_000 },
          (error, stdout, stderr) =>
            resolve({ code: error === null ? 0 : (child.exitCode ?? -1), stdout, stderr }),
        );
      },
    );
    expect(result.stderr).not.toContain('demo failed');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('wrote 600 events');
    expect(result.stdout).toContain('resumed: read exactly the 100 new events');
    expect(result.stdout).toMatch(/total\s+700/);
    expect(result.stdout).toContain('behavior_counts verified');
  });
});

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

const refused = (endpoint: string): Promise<boolean> =>
  new Promise((resolve) => {
    const url = new URL(endpoint);
    const socket = connect(Number(url.port), url.hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });

/** Running: it exists and is not a zombie waiting for its parent to collect it. */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

// What `npm run dashboard` runs. Ctrl-C in a terminal sends SIGINT to the whole process group,
// the emulator included; here only the dashboard's own process gets it, so the emulator is gone
// afterwards only if the dashboard stopped it (no orphan when the signal comes from elsewhere).
describe('npm run dashboard', () => {
  it('prints the URL, serves the page, and stops everything on Ctrl-C with exit code 130', async () => {
    const child = spawn(`${root}node_modules/.bin/tsx`, ['examples/dashboard/main.ts'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ctrl-C')) resolve();
      });
      child.once('exit', () =>
        reject(new Error(`exited before printing the URL:\n${out}\n${err}`)),
      );
    });
    const url = /dashboard\s+(http:\S+)/.exec(out)?.[1] as string;
    const emulator = /kinesis-local\s+(http:\S+) \(pid (\d+)\)/.exec(out);
    const emulatorPid = Number(emulator?.[2]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(url)).text()).toContain('shop dashboard');
    expect((await fetch(`${url}main.js`)).status).toBe(200);
    expect(running(emulatorPid)).toBe(true);

    process.kill(child.pid as number, 'SIGINT');
    expect(await exited).toBe(130);
    expect(running(emulatorPid)).toBe(false);
    expect(await refused(emulator?.[1] as string)).toBe(true);
    expect(await refused(url)).toBe(true);
    expect(err).not.toMatch(/Error/);
  }, 120_000);
});

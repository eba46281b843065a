// Starts lease worker processes (leaseWorker.ts under tsx) and collects what
// they report. Each worker is one child process; kill() is kill -9.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./leaseWorker.ts', import.meta.url));

/** The settings a worker reads from its environment. */
export interface WorkerEnv {
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly accessKeyId: string;
  readonly stream: string;
  readonly table: string;
  readonly failoverMs: number;
  readonly saveIntervalMs: number;
  /** Report every GetShardIterator sent and answered (`call` lines). */
  readonly trace?: boolean;
}
export interface CallLine {
  readonly type: 'call';
  readonly worker: string;
  readonly at: number;
  readonly command: string;
  readonly shardId: string;
  readonly phase: 'sent' | 'answered' | 'failed';
}

export interface RecordLine {
  readonly type: 'record';
  readonly worker: string;
  readonly at: number;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly key: string;
  readonly n: number;
}
export interface SavedLine {
  readonly type: 'saved';
  readonly worker: string;
  readonly at: number;
  readonly positions: Record<string, string>;
}
export interface HeldLine {
  readonly type: 'held';
  readonly worker: string;
  readonly at: number;
  readonly shards: string[];
}
type OtherLine = { readonly type: string; readonly worker: string; readonly at: number };
export type WorkerLine = RecordLine | SavedLine | HeldLine | CallLine | OtherLine;

export interface Worker {
  readonly id: string;
  readonly process: ChildProcess;
  /** The shards it holds now (its last `held` line). */
  held(): string[];
  readonly exited: Promise<number | null>;
}

export class LeaseCluster {
  readonly lines: WorkerLine[] = [];
  readonly workers = new Map<string, Worker>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly env: WorkerEnv) {}

  start(id: string): Worker {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
      env: {
        ...process.env,
        LW_WORKER_ID: id,
        LW_KINESIS_ENDPOINT: this.env.kinesisEndpoint,
        LW_DYNAMODB_ENDPOINT: this.env.dynamodbEndpoint,
        LW_ACCESS_KEY_ID: this.env.accessKeyId,
        LW_STREAM: this.env.stream,
        LW_TABLE: this.env.table,
        LW_FAILOVER_MS: String(this.env.failoverMs),
        LW_SAVE_INTERVAL_MS: String(this.env.saveIntervalMs),
        ...(this.env.trace === true ? { LW_TRACE: '1' } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let held: string[] = [];
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: child.stdout! }).on('line', (text) => {
      if (!text.startsWith('{')) return;
      const line = JSON.parse(text) as WorkerLine;
      if (line.type === 'held') held = (line as HeldLine).shards;
      if (line.type === 'error') {
        process.stderr.write(`worker ${id}: ${text}\n${stderr}\n`);
      }
      this.lines.push(line);
      for (const wake of [...this.waiters]) wake();
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        for (const wake of [...this.waiters]) wake();
        resolve(code);
      }),
    );
    const worker: Worker = { id, process: child, held: () => held, exited };
    this.workers.set(id, worker);
    return worker;
  }

  /** Resolves once `condition` holds (checked on every line), or fails after `timeoutMs`. */
  until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = (): void => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        // LW_DUMP=<file>: what the workers reported so far, for the one who debugs a timeout.
        if (process.env.LW_DUMP !== undefined) {
          void import('node:fs').then((fs) =>
            fs.writeFileSync(process.env.LW_DUMP as string, JSON.stringify(this.lines)),
          );
        }
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const poll = setInterval(wake, 100);
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.waiters.delete(wake);
      };
      this.waiters.add(wake);
    });
  }

  records(): RecordLine[] {
    return this.lines.filter((l): l is RecordLine => l.type === 'record');
  }

  calls(): CallLine[] {
    return this.lines.filter((l): l is CallLine => l.type === 'call');
  }

  saves(): SavedLine[] {
    return this.lines.filter((l): l is SavedLine => l.type === 'saved');
  }

  kill9(id: string): number {
    const worker = this.workers.get(id);
    worker?.process.kill('SIGKILL');
    return Date.now();
  }

  /** Asks a worker to stop gracefully; kills it if it has not exited within `timeoutMs`. */
  async stop(id: string, timeoutMs = 15_000): Promise<void> {
    const worker = this.workers.get(id);
    if (
      worker === undefined ||
      worker.process.exitCode !== null ||
      worker.process.signalCode !== null
    )
      return;
    worker.process.stdin?.write('stop\n');
    const timer = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
    await worker.exited;
    clearTimeout(timer);
  }

  /** Kills every worker still running and waits for them. */
  async killAll(): Promise<void> {
    for (const worker of this.workers.values()) {
      if (worker.process.exitCode === null && worker.process.signalCode === null) {
        worker.process.kill('SIGKILL');
      }
    }
    await Promise.all([...this.workers.values()].map((w) => w.exited));
  }
}

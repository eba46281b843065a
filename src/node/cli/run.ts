import { readFileSync } from 'node:fs';
import { type Observable, Subject, filter, lastValueFrom, map, merge, tap } from 'rxjs';
import { loadModule } from '../../module/loadModule.js';
import type { EgressRecord, RoutedRecord } from '../../module/loadModule.js';
import type { FetchReport } from '../../source/ShardReader.js';
import { linesOf } from './linesOf.js';
import { feedSink } from './feedSink.js';
import { progressLine } from './progressLine.js';
import { untilCaughtUp } from './untilCaughtUp.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const RUN_HELP = `Usage: rx-kinesis run <module.yaml> [options]

Runs a Stateful Functions module (YAML or JSON) with Kinesis ingresses and egresses:
every ingress record is printed to stdout as a JSON line with its typeUrl and targets;
with --egress, each JSON line of stdin ({"stream", "partitionKey", "data"}) is written to that egress.

Options:
  --check                     only load and check the module, print its ingresses and egresses
  --ingress <id>              read only this ingress (default: all)
  --no-ingress                read no ingress (only write stdin to --egress)
  --egress <id>               write the JSON lines of stdin to this egress
  --target <function>         print only records routed to this function (namespace/name)
  -f, --follow                keep reading (default: stop once every ingress has caught up)
  --quiet-ms <ms>             without --follow: stop once caught up and quiet this long (default 2000)
  --quiet                     no progress line
  -h, --help                  this help`;

/** `rx-kinesis run`: a module's ingresses to stdout, stdin to an egress. */
export async function run(
  args: string[],
  out: NodeJS.WritableStream,
  input: NodeJS.ReadableStream,
  signal?: AbortSignal,
): Promise<void> {
  const { values, positionals } = parseCommandArgs('run', args, {
    check: { type: 'boolean' },
    ingress: { type: 'string' },
    'no-ingress': { type: 'boolean' },
    egress: { type: 'string' },
    target: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
    'quiet-ms': { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) {
    out.write(`${RUN_HELP}\n`);
    return;
  }
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('run needs a module file', 'run');
  if (extra.length > 0)
    throw new UsageError(`run takes one module file, got also ${extra.join(' ')}`, 'run');
  const quietMs = values['quiet-ms'] === undefined ? 2000 : Number(values['quiet-ms']);
  if (!Number.isFinite(quietMs) || quietMs < 0)
    throw new UsageError(`--quiet-ms expects milliseconds, got "${values['quiet-ms']}"`, 'run');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`, 'run');
  }
  const module = loadModule(text);
  for (const warning of module.warnings) process.stderr.write(`warning: ${warning}\n`);
  if (values.check === true) {
    for (const ingress of Object.values(module.ingresses)) {
      out.write(`ingress ${ingress.id} (${ingress.type})\n`);
      for (const stream of ingress.streams)
        out.write(`  ${stream.stream} → ${stream.targets.join(', ')} as ${stream.typeUrl}\n`);
    }
    for (const egress of Object.values(module.egresses))
      out.write(`egress ${egress.id} (${egress.type})\n`);
    return;
  }
  const ingresses =
    values['no-ingress'] === true
      ? []
      : values.ingress !== undefined
        ? [module.ingress(values.ingress)]
        : Object.values(module.ingresses);
  const egress = values.egress === undefined ? undefined : module.egress(values.egress);
  if (ingresses.length === 0 && egress === undefined)
    throw new UsageError(
      'nothing to run: the module has no ingress, and no --egress was given',
      'run',
    );

  const work: Array<Promise<unknown>> = [];
  if (egress !== undefined) {
    const progress = progressLine(`egress ${egress.id}:`, process.stderr, values.quiet === true);
    const sink = egress.sink();
    const records = linesOf(input).pipe(
      map(({ line, number }): EgressRecord | undefined => {
        if (line.trim() === '') return undefined;
        let parsed: {
          stream?: unknown;
          partitionKey?: unknown;
          data?: unknown;
          explicitHashKey?: unknown;
        };
        try {
          parsed = JSON.parse(line) as typeof parsed;
        } catch (error) {
          throw new UsageError(
            `stdin line ${number} is not JSON: ${(error as Error).message}`,
            'run',
          );
        }
        if (typeof parsed.partitionKey !== 'string' || parsed.partitionKey === '')
          throw new UsageError(`stdin line ${number}: expected a "partitionKey" string`, 'run');
        const data =
          typeof parsed.data === 'string' ? parsed.data : JSON.stringify(parsed.data ?? null);
        return {
          data,
          partitionKey: parsed.partitionKey,
          ...(typeof parsed.stream === 'string' ? { stream: parsed.stream } : {}),
          ...(typeof parsed.explicitHashKey === 'string'
            ? { explicitHashKey: parsed.explicitHashKey }
            : {}),
        };
      }),
      filter((record): record is EgressRecord => record !== undefined),
    );
    work.push(feedSink(records, sink, progress, signal).then(() => progress.done(' — all stored')));
  }
  if (ingresses.length > 0) {
    const reports = new Subject<FetchReport>();
    const all: Observable<{ id: string; routed: RoutedRecord }> = merge(
      ...ingresses.map((ingress) =>
        ingress
          .records({ onFetch: (report) => reports.next(report) })
          .pipe(map((routed) => ({ id: ingress.id, routed }))),
      ),
    ).pipe(untilCaughtUp(reports, quietMs, values.follow === true));
    work.push(
      lastValueFrom(
        all.pipe(
          tap(({ id, routed }) => {
            if (values.target !== undefined && !routed.targets.includes(values.target)) return;
            const { record } = routed;
            out.write(
              `${JSON.stringify({
                ingress: id,
                stream: record.stream,
                typeUrl: routed.typeUrl,
                targets: routed.targets,
                partitionKey: record.partitionKey,
                sequenceNumber: record.sequenceNumber,
                data: new TextDecoder().decode(record.data),
              })}\n`,
            );
          }),
        ),
        { defaultValue: undefined },
      ),
    );
  }
  await Promise.all(work);
}

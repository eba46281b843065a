import { Subscriber } from 'rxjs';
import type { KinesisSink } from './toKinesis.js';

/**
 * A sink of `In` values in front of a sink of `Out` values: each value is
 * turned into the inner sink's input by `project` (a table row into a record,
 * a checked module record). It is a `Subscriber` like `toKinesis`'s sink, so
 * when the inner sink fails, is aborted or has finished, the source it is
 * subscribed to is unsubscribed at once. A `project` that throws fails the
 * sink with that error (and so stops the source); nothing is written after it.
 *
 * ## Example
 * ```ts
 * import { from } from 'rxjs';
 * import { mapSinkInput, toKinesis } from 'rx-kinesis';
 * const sink = mapSinkInput(toKinesis({ stream: 'orders', region: 'eu-west-1' }), (n: number) => ({
 *   data: String(n),
 *   partitionKey: `k${n % 4}`,
 * }));
 * from([1, 2, 3]).subscribe(sink);
 * await sink.done;
 * ```
 *
 * @param sink the sink that writes (from `toKinesis`)
 * @param project turns each value into the sink's input; may throw
 * @returns a sink of the values, with the inner sink's `done`, `summary`, `paused$`, `abort`
 */
export function mapSinkInput<In, Out>(
  sink: KinesisSink<Out>,
  project: (value: In) => Out,
): KinesisSink<In> {
  return new MappedSinkSubscriber(sink, project);
}

class MappedSinkSubscriber<In, Out> extends Subscriber<In> implements KinesisSink<In> {
  readonly done: KinesisSink<In>['done'];
  readonly paused$: KinesisSink<In>['paused$'];
  readonly summary: KinesisSink<In>['summary'];

  constructor(
    private readonly inner: KinesisSink<Out>,
    private readonly project: (value: In) => Out,
  ) {
    super();
    this.done = inner.done;
    this.paused$ = inner.paused$;
    this.summary = inner.summary;
    if (inner instanceof Subscriber) {
      // the inner sink unsubscribes itself when it fails, is aborted or finishes: so do we, at once
      inner.add(() => this.unsubscribe());
    } else {
      inner.done.then(
        () => this.unsubscribe(),
        () => this.unsubscribe(),
      );
    }
  }

  abort(): void {
    this.inner.abort();
  }

  protected override _next(value: In): void {
    let input: Out;
    try {
      input = this.project(value);
    } catch (error) {
      this.inner.error(error);
      return;
    }
    this.inner.next(input);
  }

  // Not Subscriber's defaults, which unsubscribe at once: the inner sink still flushes after
  // the source ends, and unsubscribes (and so this) when it is done.
  protected override _error(error: unknown): void {
    this.inner.error(error);
  }

  protected override _complete(): void {
    this.inner.complete();
  }
}

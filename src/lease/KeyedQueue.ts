import { Observable, type Subscription } from 'rxjs';

/**
 * Runs Observables one at a time per key, in the order they are subscribed:
 * every write to one lease (renewal, checkpoint, end, release) waits for the
 * one before, so each sees the counter the last one left. Unsubscribing a
 * waiting run removes it; unsubscribing a running one stops it and starts
 * the next.
 */
export class KeyedQueue {
  private readonly waiting = new Map<string, Array<() => void>>();

  run<T>(key: string, work: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let inner: Subscription | undefined;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        const queue = this.waiting.get(key);
        const next = queue?.shift();
        if (next !== undefined) next();
        else this.waiting.delete(key);
      };
      const start = (): void => {
        inner = work().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            finish();
            subscriber.error(error);
          },
          complete: () => {
            finish();
            subscriber.complete();
          },
        });
      };
      const queue = this.waiting.get(key);
      if (queue === undefined) {
        this.waiting.set(key, []);
        start();
      } else {
        queue.push(start);
      }
      return () => {
        if (inner !== undefined) {
          inner.unsubscribe();
          finish();
        } else {
          const list = this.waiting.get(key);
          const index = list?.indexOf(start) ?? -1;
          if (list !== undefined && index >= 0) list.splice(index, 1);
        }
      };
    });
  }
}

import { createInterface } from 'node:readline';
import { Observable } from 'rxjs';

/** The lines of a text stream (stdin), numbered from 1; completes at its end. */
export function linesOf(
  input: NodeJS.ReadableStream,
): Observable<{ line: string; number: number }> {
  return new Observable((subscriber) => {
    const reader = createInterface({ input, crlfDelay: Infinity, terminal: false });
    let number = 0;
    reader.on('line', (line) => {
      number += 1;
      subscriber.next({ line, number });
    });
    reader.on('close', () => subscriber.complete());
    input.on('error', (error) => subscriber.error(error));
    return () => reader.close();
  });
}

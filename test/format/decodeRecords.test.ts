import * as t from 'io-ts';
import { Subject, from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../src/format/csvFormat.js';
import { decodeRecords } from '../../src/format/decodeRecords.js';
import { jsonFormat } from '../../src/format/jsonFormat.js';
import { type DeadLetter, RecordDecodeError } from '../../src/format/RecordDecodeError.js';
import { recordOf } from './support.js';

const Row = t.type({ user_id: t.number, behavior: t.string });

describe('decodeRecords', () => {
  it('emits typed rows', async () => {
    const records = [
      recordOf('{"user_id":1,"behavior":"pv"}', '1'),
      recordOf('{"user_id":2,"behavior":"buy"}', '2'),
    ];
    expect(
      await lastValueFrom(from(records).pipe(decodeRecords(jsonFormat(), Row), toArray())),
    ).toEqual([
      { user_id: 1, behavior: 'pv' },
      { user_id: 2, behavior: 'buy' },
    ]);
  });

  it('fails the stream with an error naming the record and the field', async () => {
    const records = [recordOf('1,pv', '1'), recordOf('x,buy', '2'), recordOf('3,cart', '3')];
    const error = await lastValueFrom(from(records).pipe(decodeRecords(csvFormat(), Row))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RecordDecodeError);
    expect(error).toMatchObject({
      name: 'RecordDecodeError',
      stream: 'user_behavior',
      shardId: 'shardId-000000000001',
      sequenceNumber: '2',
      field: 'user_id',
      format: 'csv',
    });
    expect((error as Error).message).toBe(
      'cannot decode csv record at stream "user_behavior" shard "shardId-000000000001" sequence number 2: field "user_id": expected number, got "x"',
    );
  });

  it('sends bad records to the dead-letter output and goes on, never dropping one silently', async () => {
    const letters: DeadLetter[] = [];
    const deadLetter = new Subject<DeadLetter>();
    deadLetter.subscribe((letter) => letters.push(letter));
    const records = [recordOf('1,pv', '1'), recordOf('oops', '2'), recordOf('3,cart', '3')];
    const rows = await lastValueFrom(
      from(records).pipe(decodeRecords(csvFormat(), Row, { deadLetter }), toArray()),
    );
    expect(rows).toEqual([
      { user_id: 1, behavior: 'pv' },
      { user_id: 3, behavior: 'cart' },
    ]);
    expect(letters).toHaveLength(1);
    expect(letters[0]?.record.sequenceNumber).toBe('2');
    expect(letters[0]?.error.field).toBe('');
  });

  it('selects what to emit from row and record', async () => {
    const out = await lastValueFrom(
      from([recordOf('{"user_id":1,"behavior":"pv"}', '7')]).pipe(
        decodeRecords(jsonFormat(), Row, {
          select: (row, record) => ({ ...row, seq: record.sequenceNumber }),
        }),
        toArray(),
      ),
    );
    expect(out).toEqual([{ user_id: 1, behavior: 'pv', seq: '7' }]);
  });

  it('passes errors and completion through, and completes empty', async () => {
    expect(await lastValueFrom(from([]).pipe(decodeRecords(jsonFormat(), Row), toArray()))).toEqual(
      [],
    );
    const upstream = new Subject<ReturnType<typeof recordOf>>();
    const result = lastValueFrom(upstream.pipe(decodeRecords(jsonFormat(), Row))).catch(
      (e: unknown) => e,
    );
    upstream.error(new Error('boom'));
    expect(await result).toMatchObject({ message: 'boom' });
  });
});

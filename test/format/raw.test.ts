import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { rawFormat } from '../../src/format/rawFormat.js';
import { bytes, text } from './support.js';

const Bytes = new t.Type<Uint8Array, Uint8Array, unknown>(
  'Uint8Array',
  (u): u is Uint8Array => u instanceof Uint8Array,
  (u, c) => (u instanceof Uint8Array ? t.success(u) : t.failure(u, c)),
  t.identity,
);

describe('raw format', () => {
  it('round-trips UTF-8 strings', () => {
    const lines = rawFormat().bind(t.string);
    for (const line of ['', 'hello', 'ünïcödé 🎉, with "quotes"']) {
      expect(text(lines.encode(line))).toBe(line);
      expect(lines.decode(lines.encode(line))).toEqual({ _tag: 'Right', right: line });
    }
  });

  it('round-trips bytes untouched', () => {
    const blobs = rawFormat({ as: 'bytes' }).bind(Bytes);
    const data = new Uint8Array([0, 255, 128, 7]);
    expect(blobs.encode(data)).toEqual(data);
    expect(blobs.decode(data)).toEqual({ _tag: 'Right', right: data });
  });

  it('wraps a one-column row', () => {
    const rows = rawFormat().bind(t.type({ line: t.string }));
    expect(rows.decode(bytes('x'))).toEqual({ _tag: 'Right', right: { line: 'x' } });
    expect(text(rows.encode({ line: 'y' }))).toBe('y');
  });

  it('reports invalid UTF-8 with the column name', () => {
    expect(
      rawFormat()
        .bind(t.type({ line: t.string }))
        .decode(new Uint8Array([0xc3, 0x28])),
    ).toMatchObject({
      left: [{ field: 'line', expected: 'valid UTF-8 text' }],
    });
  });

  it('rejects rows of several columns and charsets other than UTF-8', () => {
    expect(() => rawFormat().bind(t.type({ a: t.string, b: t.string }))).toThrowError(
      /for raw, exactly one column/,
    );
    expect(() => rawFormat({ charset: 'UTF-16' })).toThrowError(/raw\.charset: expected UTF-8/);
    expect(rawFormat({ charset: 'utf-8' }).name).toBe('raw');
  });
});

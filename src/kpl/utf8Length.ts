/**
 * Bytes `text` takes in UTF-8, without encoding it (no allocation): Kinesis
 * counts partition keys in bytes towards the 1 MiB record and 5 MiB request
 * limits, and the KPL format stores them as UTF-8 protobuf strings.
 *
 * ## Example
 * ```ts
 * import { utf8Length } from 'rx-kinesis';
 * utf8Length('héllo'); // 6
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // a surrogate pair is one code point of 4 bytes
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

import type * as t from 'io-ts';

/**
 * One Flink (or KPL) option key: how its text is read, Flink's default, and
 * where its value lands in the typed config. Adding a key is adding a row.
 */
export interface OptionRow {
  readonly key: string;
  /** The key is a prefix: `<key>.<name>`; `*` in `target` stands for `<name>`. */
  readonly prefix?: true;
  /** Reads the text into a typed value (and says what it expected). */
  readonly codec: t.Decoder<unknown, unknown>;
  /** Flink's default, as text (`undefined`: none). */
  readonly default?: string;
  /** Dotted path(s) in the family's config (`polling.maxRecords`, `efo.consumerArns.*`). */
  readonly target?: string | readonly string[];
  /** Turns the decoded value into the target's (seconds → ms); the note says how. */
  readonly map?: (value: never) => unknown;
  /** `false`: the default is Flink's but is not written; the config's own default applies. */
  readonly writeDefault?: false;
  readonly required?: true;
  /** Accepted with a warning saying why it means nothing here. */
  readonly ignored?: string;
  /** Another name of that key: read as it, with a warning. */
  readonly aliasOf?: string;
  /** What a Flink user should know (docs). */
  readonly note?: string;
}

/** What a cross-key rule may read and write while a property map is translated. */
export interface RuleContext {
  /** The text given for `key` (marks it read). */
  raw(key: string): string | undefined;
  /** Whether the map has `key`. */
  given(key: string): boolean;
  /** The keys of the map that start with `prefix`. */
  keysStartingWith(prefix: string): string[];
  /** The decoded value of a row's key (given or default); `undefined` when absent or bad. */
  value<A>(key: string): A | undefined;
  get(path: string): unknown;
  /** Sets a config path; a problem the config codec finds there is reported against `key`. */
  set(path: string, value: unknown, key: string, text?: string): void;
  unset(path: string): void;
  fail(key: string, value: unknown, expected: string): void;
  warn(key: string, message: string): void;
}

/** Logic across keys (AT_TIMESTAMP needs its timestamp, credential kinds, …). */
export type OptionRule = (context: RuleContext) => void;

/** One key family: its rows, its cross-key rules and the codec its result must pass. */
export interface OptionFamily<C> {
  /** What a key of the family is, for errors: `a DataStream consumer property`. */
  readonly name: string;
  /** Root of config paths in errors no key owns (`source`, `sink`). */
  readonly root: string;
  readonly rows: readonly OptionRow[];
  readonly rules?: readonly OptionRule[];
  /** The config's own codec (`SourceConfig`, `SinkConfigCodec`): the one validator. */
  readonly codec: t.Type<C, unknown, unknown>;
}

/** A note about an option that was accepted but changed or ignored. */
export interface FlinkOptionWarning {
  readonly key: string;
  readonly message: string;
}

/** Settings of the property translators. */
export interface FlinkPropertiesSettings {
  /** Called once per warning (keys without effect here, other names of keys). */
  readonly onWarning?: (warning: FlinkOptionWarning) => void;
}

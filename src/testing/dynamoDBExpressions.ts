import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A DynamoDB item: attribute name to value. */
export type Item = Record<string, AttributeValue>;

/** The names and values an expression refers to (`#name`, `:value`). */
export interface ExpressionContext {
  readonly names?: Record<string, string> | undefined;
  readonly values?: Record<string, AttributeValue> | undefined;
}

/** An expression DynamoDB would refuse (answered as a `ValidationException`). */
export class ExpressionError extends Error {
  override readonly name = 'ValidationException';
}

const TOKEN = /\s*(<>|<=|>=|[=<>(),+-]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_.]*)/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(expression);
    if (match === null)
      throw new ExpressionError(`cannot read the expression at "${expression.slice(at)}"`);
    tokens.push(match[1] as string);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

class Reader {
  private at = 0;
  constructor(
    private readonly tokens: string[],
    private readonly context: ExpressionContext,
  ) {}
  peek(): string | undefined {
    return this.tokens[this.at];
  }
  keyword(word: string): boolean {
    if (this.peek()?.toUpperCase() === word) {
      this.at += 1;
      return true;
    }
    return false;
  }
  take(expected?: string): string {
    const token = this.tokens[this.at];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new ExpressionError(`expected ${expected ?? 'more'}, got ${token ?? 'the end'}`);
    }
    this.at += 1;
    return token;
  }
  done(): boolean {
    return this.at >= this.tokens.length;
  }
  name(): string {
    const token = this.take();
    if (token.startsWith('#')) {
      const name = this.context.names?.[token];
      if (name === undefined)
        throw new ExpressionError(`no ExpressionAttributeNames entry for ${token}`);
      return name;
    }
    if (token.startsWith(':') || !/^[A-Za-z_]/.test(token)) {
      throw new ExpressionError(`expected an attribute name, got ${token}`);
    }
    return token;
  }
  value(token: string): AttributeValue {
    const value = this.context.values?.[token];
    if (value === undefined)
      throw new ExpressionError(`no ExpressionAttributeValues entry for ${token}`);
    return value;
  }
}

/** Whether two attribute values are equal (numbers by value, sets regardless of order). */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a.N !== undefined && b.N !== undefined) return Number(a.N) === Number(b.N);
  if (a.S !== undefined && b.S !== undefined) return a.S === b.S;
  if (a.BOOL !== undefined && b.BOOL !== undefined) return a.BOOL === b.BOOL;
  if (a.NULL !== undefined && b.NULL !== undefined) return true;
  if (a.SS !== undefined && b.SS !== undefined) {
    return a.SS.length === b.SS.length && a.SS.every((s) => b.SS?.includes(s) === true);
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

function order(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (a?.N !== undefined && b?.N !== undefined) return Number(a.N) - Number(b.N);
  if (a?.S !== undefined && b?.S !== undefined) return a.S < b.S ? -1 : a.S > b.S ? 1 : 0;
  return undefined;
}

type Operand = (item: Item) => AttributeValue | undefined;

function operand(reader: Reader): Operand {
  const token = reader.peek();
  if (token === undefined) throw new ExpressionError('expected an operand');
  if (token.startsWith(':')) {
    reader.take();
    const value = reader.value(token);
    return () => value;
  }
  const name = reader.name();
  return (item) => item[name];
}

type Condition = (item: Item) => boolean;

function primary(reader: Reader): Condition {
  if (reader.peek() === '(') {
    reader.take('(');
    const inner = orExpression(reader);
    reader.take(')');
    return inner;
  }
  const head = reader.peek();
  if (head === 'attribute_exists' || head === 'attribute_not_exists') {
    reader.take();
    reader.take('(');
    const name = reader.name();
    reader.take(')');
    return head === 'attribute_exists'
      ? (item) => item[name] !== undefined
      : (item) => item[name] === undefined;
  }
  const left = operand(reader);
  const comparator = reader.take();
  const right = operand(reader);
  switch (comparator) {
    case '=':
      return (item) => sameValue(left(item), right(item));
    case '<>':
      return (item) =>
        left(item) !== undefined &&
        right(item) !== undefined &&
        !sameValue(left(item), right(item));
    case '<':
    case '<=':
    case '>':
    case '>=':
      return (item) => {
        const o = order(left(item), right(item));
        if (o === undefined) return false;
        return comparator === '<'
          ? o < 0
          : comparator === '<='
            ? o <= 0
            : comparator === '>'
              ? o > 0
              : o >= 0;
      };
    default:
      throw new ExpressionError(`unknown comparator ${comparator}`);
  }
}

function notExpression(reader: Reader): Condition {
  if (reader.keyword('NOT')) {
    const inner = notExpression(reader);
    return (item) => !inner(item);
  }
  return primary(reader);
}

function andExpression(reader: Reader): Condition {
  const parts = [notExpression(reader)];
  while (reader.keyword('AND')) parts.push(notExpression(reader));
  return (item) => parts.every((part) => part(item));
}

function orExpression(reader: Reader): Condition {
  const parts = [andExpression(reader)];
  while (reader.keyword('OR')) parts.push(andExpression(reader));
  return (item) => parts.some((part) => part(item));
}

/**
 * Evaluates a condition expression on an item (absent item: `{}`): the
 * subset `attribute_exists`, `attribute_not_exists`, `=`, `<>`, `<`, `<=`,
 * `>`, `>=`, `AND`, `OR`, `NOT` and parentheses.
 */
export function evaluateCondition(
  expression: string,
  item: Item,
  context: ExpressionContext,
): boolean {
  const reader = new Reader(tokenize(expression), context);
  const condition = orExpression(reader);
  if (!reader.done()) throw new ExpressionError(`unexpected ${reader.peek()}`);
  return condition(item);
}

function numberOf(value: AttributeValue | undefined, what: string): number {
  if (value?.N === undefined) throw new ExpressionError(`${what} is not a number`);
  return Number(value.N);
}

function setValue(reader: Reader): Operand {
  let term: Operand;
  if (reader.peek() === 'if_not_exists') {
    reader.take();
    reader.take('(');
    const name = reader.name();
    reader.take(',');
    const fallback = operand(reader);
    reader.take(')');
    term = (item) => item[name] ?? fallback(item);
  } else {
    term = operand(reader);
  }
  const next = reader.peek();
  if (next === '+' || next === '-') {
    reader.take();
    const right = operand(reader);
    const left = term;
    return (item) => {
      const a = numberOf(left(item), 'the left operand');
      const b = numberOf(right(item), 'the right operand');
      return { N: String(next === '+' ? a + b : a - b) };
    };
  }
  return term;
}

/**
 * Applies an update expression to a copy of an item: `SET a = v, b = b + :n,
 * c = if_not_exists(c, :v)`, `REMOVE a, b`, `ADD n :v` (numbers and string sets).
 */
export function applyUpdate(expression: string, item: Item, context: ExpressionContext): Item {
  const reader = new Reader(tokenize(expression), context);
  const actions: Array<(source: Item, target: Item) => void> = [];
  while (!reader.done()) {
    if (reader.keyword('SET')) {
      do {
        const name = reader.name();
        reader.take('=');
        const value = setValue(reader);
        actions.push((source, target) => {
          const v = value(source);
          if (v === undefined)
            throw new ExpressionError(`the value for ${name} refers to a missing attribute`);
          target[name] = v;
        });
      } while (reader.peek() === ',' && reader.take(','));
    } else if (reader.keyword('REMOVE')) {
      do {
        const name = reader.name();
        actions.push((_, target) => {
          delete target[name];
        });
      } while (reader.peek() === ',' && reader.take(','));
    } else if (reader.keyword('ADD')) {
      do {
        const name = reader.name();
        const value = operand(reader);
        actions.push((source, target) => {
          const v = value(source);
          const old = source[name];
          if (v?.N !== undefined)
            target[name] = {
              N: String((old === undefined ? 0 : numberOf(old, name)) + Number(v.N)),
            };
          else if (v?.SS !== undefined)
            target[name] = { SS: [...new Set([...(old?.SS ?? []), ...v.SS])] };
          else throw new ExpressionError(`ADD needs a number or a set for ${name}`);
        });
      } while (reader.peek() === ',' && reader.take(','));
    } else {
      throw new ExpressionError(`unexpected ${reader.peek()} in the update expression`);
    }
  }
  const target: Item = { ...item };
  // every right-hand side reads the item as it was before the update, as DynamoDB does
  for (const action of actions) action(item, target);
  return target;
}

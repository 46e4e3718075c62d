import type { SQLOutputValue } from 'node:sqlite';

/** A row as node:sqlite returns it. */
export type Row = Record<string, SQLOutputValue>;

/** The text in `column`; throws when the schema's promise is broken (so `null` never leaks out). */
export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`Column ${column} is not text.`);
  return value;
}

/** The text in `column`, or `null` when the column is NULL. */
export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

/** The safe integer in `column`. */
export function integer(row: Row, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new Error(`Column ${column} is not a safe integer.`);
  }
  return value;
}

/** The safe integer in `column`, or `null` when the column is NULL. */
export function integerOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : integer(row, column);
}

/** The text in `column`, which must be one of `allowed`. */
export function oneOf<const T extends string>(row: Row, column: string, allowed: readonly T[]): T {
  const value = text(row, column);
  const match = allowed.find((candidate) => candidate === value);
  if (match === undefined) throw new Error(`Column ${column} has an unknown value.`);
  return match;
}

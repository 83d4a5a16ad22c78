/**
 * Moves offsets of an older text through later edits, so that results computed for the last text
 * that parsed stay on the same code while the user types something that does not parse yet.
 */
import type { OffsetRange } from './line-index';

/** One replacement: `[start, end)` of the text before it was replaced by `newLength` units. */
export interface OffsetEdit {
  start: number;
  end: number;
  newLength: number;
}

/** Moves an offset through the edits, in order. Offsets inside a replaced span move to its start. */
export function mapOffset(offset: number, edits: readonly OffsetEdit[]): number {
  let result = offset;
  for (const edit of edits) {
    if (result <= edit.start) continue;
    if (result >= edit.end) result += edit.newLength - (edit.end - edit.start);
    else result = edit.start;
  }
  return result;
}

/** Returns the single edit that turns `before` into `after`: common prefix and suffix are kept. */
export function diffEdit(before: string, after: string): OffsetEdit {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  ) {
    suffix++;
  }
  return { start: prefix, end: before.length - suffix, newLength: after.length - suffix - prefix };
}

/**
 * Returns a deep copy of a plain data value in which every `{ start, end }` offset range has been
 * moved through the edits. Used on analysis results, which are plain data by design.
 */
export function mapRanges<T>(value: T, edits: readonly OffsetEdit[]): T {
  return mapValue(value, edits, 0) as T;
}

function mapValue(value: unknown, edits: readonly OffsetEdit[], depth: number): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => mapValue(item, edits, depth + 1));
  const record = value as Record<string, unknown>;
  if (isOffsetRange(record)) {
    const start = mapOffset(record.start, edits);
    const end = Math.max(start, mapOffset(record.end, edits));
    return { ...record, start, end };
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) copy[key] = mapValue(item, edits, depth + 1);
  return copy;
}

function isOffsetRange(record: Record<string, unknown>): record is Record<string, unknown> & OffsetRange {
  return typeof record.start === 'number' && typeof record.end === 'number';
}

/**
 * Conversion between string offsets and LSP positions. JavaScript strings are UTF-16, so an
 * offset into the document text is already a UTF-16 code unit count; this module only has to
 * find lines. Line breaks are `\n`, `\r\n` and `\r`, as the LSP specification defines them
 * (TypeScript's own line map also breaks at U+2028 and U+2029, which LSP clients do not).
 */
import type { Position, Range } from '../../../common/src/protocol';

export interface OffsetRange {
  start: number;
  end: number;
}

export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const text = this.text;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13 /* \r */) {
        if (i + 1 < length && text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (code === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
    return starts;
  }

  get lineCount(): number {
    return this.starts().length;
  }

  /** Returns the position of an offset; offsets outside the text are clamped to it. */
  positionAt(offset: number): Position {
    const starts = this.starts();
    const clamped = Math.max(0, Math.min(Math.floor(offset), this.text.length));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= clamped) low = middle;
      else high = middle - 1;
    }
    // An offset between `\r` and `\n` belongs to the end of the line, never to its break.
    const character = Math.min(clamped, this.lineEnd(low)) - starts[low];
    return { line: low, character };
  }

  /** Returns the offset of a position; characters past the line end are clamped to it. */
  offsetAt(position: Position): number {
    const starts = this.starts();
    if (position.line < 0) return 0;
    if (position.line >= starts.length) return this.text.length;
    const lineStart = starts[position.line];
    const character = Math.max(0, position.character);
    return Math.min(lineStart + character, this.lineEnd(position.line));
  }

  rangeOf(range: OffsetRange): Range {
    return { start: this.positionAt(range.start), end: this.positionAt(range.end) };
  }

  /** Returns the offset just before the line break of a line (or the text end for the last line). */
  lineEnd(line: number): number {
    const starts = this.starts();
    if (line + 1 >= starts.length) return this.text.length;
    let end = starts[line + 1];
    if (end > 0 && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > starts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }
}

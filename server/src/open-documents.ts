/**
 * The documents open in the editor. Each keeps its unsaved text and the analysis of the last text
 * that parsed, with the edits made since. While the user types something that does not parse,
 * results therefore stay on the code they belong to instead of vanishing.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts = require('typescript');
import { analyzeSourceFile, parseSource, UNPARSABLE } from './analysis/module-analysis';
import type { ModuleAnalysis } from './analysis/module-types';
import type { OpenSources, SourceFile } from './analysis/source-host';
import { LineIndex } from './text/line-index';
import { diffEdit, mapRanges, type OffsetEdit } from './text/offset-mapping';

/** A change as LSP sends it: a range replaced, or the whole text when `range` is absent. */
export interface ContentChange {
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/** Edits kept per document between two analyses; more are replaced by one text comparison. */
const MAX_PENDING_EDITS = 256;

export class OpenDocument {
  private current: SourceFile | undefined;
  private lastGood: { analysis: ModuleAnalysis; text: string } | undefined;
  private pendingEdits: OffsetEdit[] = [];
  private lineIndex: LineIndex | undefined;
  /** The syntax tree of the last analysed text, reused by the incremental parser. */
  private tree: { sourceFile: ts.SourceFile; text: string } | undefined;
  /** The edits since `tree` was parsed, or undefined when a whole-text change hid them. */
  private editsSinceTree: OffsetEdit[] | undefined = [];

  constructor(
    readonly uri: string,
    readonly path: string,
    public version: number,
    public text: string,
  ) {}

  applyChanges(version: number, changes: readonly ContentChange[]): void {
    for (const change of changes) {
      const before = this.text;
      if (change.range) {
        const lines = this.lines();
        const start = lines.offsetAt(change.range.start);
        const end = Math.max(start, lines.offsetAt(change.range.end));
        this.text = before.slice(0, start) + change.text + before.slice(end);
        this.lineIndex = undefined;
        this.recordTreeEdit({ start, end, newLength: change.text.length });
        this.recordEdit({ start, end, newLength: change.text.length });
      } else {
        this.text = change.text;
        this.lineIndex = undefined;
        this.editsSinceTree = undefined;
        if (this.lastGood) this.recordEdit(diffEdit(before, change.text));
      }
    }
    this.version = version;
    this.current = undefined;
  }

  /** Returns the line index of the current text. */
  lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  /** Records an edit for the incremental parser; past the limit, a text comparison replaces them. */
  private recordTreeEdit(edit: OffsetEdit): void {
    if (!this.tree || !this.editsSinceTree) return;
    if (this.editsSinceTree.length >= MAX_PENDING_EDITS) {
      this.editsSinceTree = undefined;
      return;
    }
    this.editsSinceTree.push(edit);
  }

  /** Records an edit already applied to `this.text`. */
  private recordEdit(edit: OffsetEdit): void {
    if (!this.lastGood) return;
    this.pendingEdits.push(edit);
    if (this.pendingEdits.length > MAX_PENDING_EDITS) {
      // One edit from the last good text keeps memory bounded; offsets inside it collapse to its start.
      this.pendingEdits = [diffEdit(this.lastGood.text, this.text)];
    }
  }

  /**
   * Parses the current text, incrementally from the previous tree when there is one: only the
   * changed span is re-parsed, which is what keeps large files fast while typing. Returns
   * undefined when the parser rejects the text.
   */
  private parse(): ts.SourceFile | undefined {
    const previous = this.tree;
    const edits = this.editsSinceTree;
    this.tree = undefined;
    this.editsSinceTree = [];
    let sourceFile: ts.SourceFile | undefined;
    if (previous) {
      const change =
        edits && edits.length > 0
          ? ts.collapseTextChangeRangesAcrossMultipleVersions(edits.map(toChangeRange))
          : toChangeRange(diffEdit(previous.text, this.text));
      try {
        sourceFile = ts.updateSourceFile(previous.sourceFile, this.text, change);
      } catch {
        sourceFile = undefined; // Parsed again from scratch below.
      }
    }
    if (!sourceFile) {
      try {
        sourceFile = parseSource(this.path, this.text);
      } catch {
        return undefined; // See analyzeModule: the parser throws on a few malformed inputs.
      }
    }
    this.tree = { sourceFile, text: this.text };
    return sourceFile;
  }

  /** Returns the document's analysis: fresh when the text parses, else the last good one moved. */
  source(): SourceFile {
    if (this.current) return this.current;
    const sourceFile = this.parse();
    const fresh = sourceFile ? analyzeSourceFile(sourceFile) : UNPARSABLE;
    let analysis = fresh;
    if (fresh.parsed) {
      this.lastGood = { analysis: fresh, text: this.text };
      this.pendingEdits = [];
    } else if (this.lastGood) {
      analysis = { ...mapRanges(this.lastGood.analysis, this.pendingEdits), parsed: false };
    }
    this.current = { path: this.path, text: this.text, analysis, lines: this.lines() };
    return this.current;
  }
}

function toChangeRange(edit: OffsetEdit): ts.TextChangeRange {
  return { span: { start: edit.start, length: edit.end - edit.start }, newLength: edit.newLength };
}

export class OpenDocuments implements OpenSources {
  private readonly byPath = new Map<string, OpenDocument>();
  /** Open documents whose file was deleted on disk; they are no part of any project until recreated. */
  private readonly deleted = new Set<string>();

  setDeletedOnDisk(filePath: string, deleted: boolean): void {
    if (deleted) this.deleted.add(filePath);
    else this.deleted.delete(filePath);
  }

  open(uri: string, version: number, text: string): OpenDocument | undefined {
    const filePath = pathOfUri(uri);
    if (!filePath) return undefined;
    const document = new OpenDocument(uri, filePath, version, text);
    this.byPath.set(filePath, document);
    this.deleted.delete(filePath);
    return document;
  }

  close(uri: string): OpenDocument | undefined {
    const filePath = pathOfUri(uri);
    if (!filePath) return undefined;
    const document = this.byPath.get(filePath);
    this.byPath.delete(filePath);
    return document;
  }

  get(uri: string): OpenDocument | undefined {
    const filePath = pathOfUri(uri);
    return filePath ? this.byPath.get(filePath) : undefined;
  }

  getByPath(filePath: string): OpenDocument | undefined {
    return this.byPath.get(filePath);
  }

  getOpenText(filePath: string): string | undefined {
    if (this.deleted.has(filePath)) return undefined;
    return this.byPath.get(filePath)?.text;
  }

  getOpenSource(filePath: string): SourceFile | undefined {
    if (this.deleted.has(filePath)) return undefined;
    return this.byPath.get(filePath)?.source();
  }

  all(): OpenDocument[] {
    return [...this.byPath.values()];
  }
}

/** Returns the file system path of a `file:` URI, or undefined for other schemes (untitled, git, …). */
export function pathOfUri(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

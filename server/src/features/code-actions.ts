/**
 * Quick fixes for the diagnostics: rename an export (with its uses in the file) and remove an
 * `auth` entry. Fixes are computed from the current text, so a diagnostic that is one edit old
 * still gets a correct fix.
 */
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import { parseSource } from '../analysis/module-analysis';
import type { SourceFile } from '../analysis/source-host';
import { LineIndex } from '../text/line-index';
import { DIAGNOSTIC_SOURCE, type DiagnosticFix } from './diagnostics';
import { renameExportEdits } from './rename-edits';

export function computeCodeActions(source: SourceFile, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const lines = new LineIndex(source.text);
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || !isFix(diagnostic.data)) continue;
    const fix = diagnostic.data;
    const edits = fix.fix === 'rename' ? renameEdits(source, lines, diagnostic, fix) : removeEdits(source, lines, fix);
    if (edits.length === 0) continue;
    actions.push({
      title: fix.fix === 'rename' ? `Rename "${fix.name}" to "${fix.newName}"` : `Remove "${fix.value}" from auth`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { changes: { [uri]: edits } },
    });
  }
  return actions;
}

function isFix(data: unknown): data is DiagnosticFix {
  if (!data || typeof data !== 'object') return false;
  const record = data as Record<string, unknown>;
  if (record.fix === 'rename') return typeof record.name === 'string' && typeof record.newName === 'string';
  if (record.fix === 'remove') return typeof record.value === 'string';
  return false;
}

function renameEdits(
  source: SourceFile,
  lines: LineIndex,
  diagnostic: Diagnostic,
  fix: Extract<DiagnosticFix, { fix: 'rename' }>,
): TextEdit[] {
  const diagnosticStart = lines.offsetAt(diagnostic.range.start);
  const candidates = source.analysis.exports.filter((decl) => decl.name === fix.name && decl.origin !== 'default');
  const decl = candidates.find((candidate) => candidate.nameRange.start === diagnosticStart) ?? candidates[0];
  if (!decl) return [];
  let sourceFile;
  try {
    sourceFile = parseSource(source.path, source.text);
  } catch {
    return []; // The parser rejected the text; see analyzeModule.
  }
  return renameExportEdits(sourceFile, decl.nameRange.start, fix.newName).map((edit) => ({
    range: lines.rangeOf(edit.range),
    newText: edit.newText,
  }));
}

function removeEdits(source: SourceFile, lines: LineIndex, fix: Extract<DiagnosticFix, { fix: 'remove' }>): TextEdit[] {
  const auth = source.analysis.auth;
  if (auth?.kind !== 'list') return [];
  const entry = auth.entries.find((candidate) => candidate.value === fix.value);
  return entry ? [{ range: lines.rangeOf(entry.removalRange), newText: '' }] : [];
}

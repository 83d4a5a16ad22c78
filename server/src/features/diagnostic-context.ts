/**
 * Shared parts of the diagnostic rules: the codes, the quick-fix data, and a collector that places
 * a diagnostic in a file of the project.
 */
import type { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity } from 'vscode-languageserver';
import { lineIndexOf } from '../analysis/endpoint-model';
import type { ProjectAnalysis, ResolvedExport } from '../analysis/project-analysis';
import type { OffsetRange } from '../text/line-index';

export const DIAGNOSTIC_SOURCE = 'sinch-functions';

/** Diagnostic codes; the code actions key on them. */
export const DiagnosticCodes = {
  reservedVoiceName: 'reserved-voice-name',
  reservedVoiceNameUnclear: 'reserved-voice-name-unclear',
  namedVoiceCallback: 'named-voice-callback',
  voiceNameCase: 'voice-name-case',
  routeCollision: 'route-collision',
  rootCollision: 'root-collision',
  webhookName: 'webhook-name',
  ambiguousStarExport: 'ambiguous-star-export',
  authInvalid: 'auth-invalid',
  authUnknownEntry: 'auth-unknown-entry',
  authNeverGated: 'auth-never-gated',
  authPageExport: 'auth-page-export',
  moduleNotFound: 'module-not-found',
  hiddenExports: 'hidden-exports',
} as const;

/** Data attached to a diagnostic that a quick fix can act on. */
export type DiagnosticFix = { fix: 'rename'; name: string; newName: string } | { fix: 'remove'; value: string };

export type UriOf = (filePath: string) => string;

export class DiagnosticCollector {
  /** Diagnostics by file path; every file of the project has an entry, empty or not. */
  readonly byPath = new Map<string, Diagnostic[]>();
  readonly exportNames: Set<string>;

  constructor(
    readonly project: ProjectAnalysis,
    readonly entryPath: string,
    readonly uriOf: UriOf,
  ) {
    this.exportNames = new Set(project.exports.map((item) => item.name));
    for (const modulePath of project.modules.keys()) this.byPath.set(modulePath, []);
  }

  add(
    filePath: string,
    range: OffsetRange,
    severity: DiagnosticSeverity,
    code: string,
    message: string,
    related?: DiagnosticRelatedInformation[],
    data?: DiagnosticFix,
  ): void {
    const source = this.project.modules.get(filePath);
    if (!source) return;
    const diagnostic: Diagnostic = { range: lineIndexOf(source).rangeOf(range), severity, code, source: DIAGNOSTIC_SOURCE, message };
    if (related && related.length > 0) diagnostic.relatedInformation = related;
    if (data) diagnostic.data = data;
    this.byPath.get(filePath)?.push(diagnostic);
  }

  /** Adds a diagnostic to the entry file. */
  addToEntry(
    range: OffsetRange,
    severity: DiagnosticSeverity,
    code: string,
    message: string,
    related?: DiagnosticRelatedInformation[],
    data?: DiagnosticFix,
  ): void {
    this.add(this.entryPath, range, severity, code, message, related, data);
  }

  /** Returns related information at a range of a project file, or undefined when the file is unknown. */
  location(filePath: string, range: OffsetRange, message: string): DiagnosticRelatedInformation | undefined {
    const source = this.project.modules.get(filePath);
    if (!source) return undefined;
    return { location: { uri: this.uriOf(filePath), range: lineIndexOf(source).rangeOf(range) }, message };
  }

  /** Returns related information at the declaration of an export. */
  declarationLocation(resolved: ResolvedExport, message: string): DiagnosticRelatedInformation | undefined {
    return this.location(resolved.declPath, resolved.decl.nameRange, message);
  }

  /** Returns a name that no export and no word of the given file already uses. */
  freeName(filePath: string, base: string): string {
    const text = this.project.modules.get(filePath)?.text ?? '';
    const taken = (candidate: string) => this.exportNames.has(candidate) || new RegExp(`\\b${candidate}\\b`).test(text);
    if (!taken(base)) return base;
    for (let suffix = 2; suffix < 100; suffix++) {
      if (!taken(`${base}${suffix}`)) return `${base}${suffix}`;
    }
    return `${base}${Date.now()}`;
  }
}

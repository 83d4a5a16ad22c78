/**
 * Diagnostics of a function project. Rules about single exports live in `export-rules.ts`. This
 * module adds the rules about the project as a whole: two exports on one route, names that two
 * `export *` statements provide, `auth` entries that protect nothing, and files that cannot be
 * found. Findings are reported in the entry file, with related information elsewhere.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { isVoiceCallbackName, routePathOf } from '../../../common/src/routes';
import { authOf, endpointsOf, type Endpoint } from '../analysis/endpoint-model';
import type { ProjectAnalysis, ResolvedExport } from '../analysis/project-analysis';
import type { OffsetRange } from '../text/line-index';
import { DiagnosticCodes, DiagnosticCollector, type DiagnosticFix, type UriOf } from './diagnostic-context';
import { checkExport } from './export-rules';

export { DIAGNOSTIC_SOURCE, DiagnosticCodes, type DiagnosticFix } from './diagnostic-context';

/**
 * Returns the diagnostics of every file of the project, by path: the entry file and each file it
 * re-exports from. A file without findings maps to an empty list.
 */
export function computeDiagnostics(project: ProjectAnalysis, uriOf: UriOf): Map<string, Diagnostic[]> {
  const entryPath = project.entryPath;
  if (!entryPath || !project.modules.has(entryPath)) return new Map();
  const collector = new DiagnosticCollector(project, entryPath, uriOf);

  for (const resolved of project.exports) checkExport(collector, resolved);
  checkCollisions(collector);
  checkRootCollision(collector);
  checkAmbiguousStars(collector);
  checkAuth(collector, endpointsOf(project));
  checkModuleProblems(collector);
  return collector.byPath;
}

/** Returns the range in the entry file that stands for an export: its name, or the construct that brings it in. */
function entryRangeOf(resolved: ResolvedExport): OffsetRange {
  return resolved.via ? resolved.via.range : resolved.decl.nameRange;
}

function describeOrigin(resolved: ResolvedExport): string {
  switch (resolved.decl.origin) {
    case 'default-member':
      return 'a member of the default export object';
    case 'commonjs':
      return 'a CommonJS export';
    case 'default':
      return 'the default export';
    default:
      return resolved.via?.kind === 'star' ? 'a name passed on by export *' : 'a named export';
  }
}

function checkCollisions(collector: DiagnosticCollector): void {
  const byName = new Map<string, ResolvedExport[]>();
  for (const resolved of collector.project.exports) {
    if (!resolved.decl.isHandler) continue;
    const list = byName.get(resolved.name) ?? [];
    list.push(resolved);
    byName.set(resolved.name, list);
  }
  for (const [name, list] of byName) {
    if (list.length < 2) continue;
    const route = routePathOf(name);
    const served = list.find((item) => item.decl.origin !== 'default-member') ?? list[0];
    for (const resolved of list) {
      const others = list.filter((other) => other !== resolved);
      const related = others
        .map((other) => collector.declarationLocation(other, `"${name}" is also exported here, as ${describeOrigin(other)}.`))
        .filter((info): info is DiagnosticRelatedInformation => info !== undefined);
      const outcome =
        resolved === served
          ? `This one is served.`
          : `Only ${describeOrigin(served)} is served, so this one is never called.`;
      collector.addToEntry(
        entryRangeOf(resolved),
        DiagnosticSeverity.Warning,
        DiagnosticCodes.routeCollision,
        `"${name}" is exported ${list.length} times (this one as ${describeOrigin(resolved)}), and all of them reach ${route}. ${outcome}`,
        related,
      );
    }
  }
}

function checkRootCollision(collector: DiagnosticCollector): void {
  const root = collector.project.exports.find((item) => item.name === 'default' && item.decl.isHandler);
  const home = collector.project.exports.find((item) => item.name === 'home' && item.decl.isHandler);
  if (!root || !home) return;
  const homeInfo = collector.declarationLocation(home, '"home" is exported here.');
  const rootInfo = collector.declarationLocation(root, 'The default export serves GET / first.');
  collector.addToEntry(
    entryRangeOf(home),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.rootCollision,
    '"home" is never reached: GET / goes to the default export first, and "home" has no other route.',
    rootInfo ? [rootInfo] : [],
  );
  collector.addToEntry(
    entryRangeOf(root),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.rootCollision,
    'The default export serves GET /, so the "home" export is never reached. Keep one of them.',
    homeInfo ? [homeInfo] : [],
  );
}

function checkAmbiguousStars(collector: DiagnosticCollector): void {
  for (const ambiguous of collector.project.ambiguous) {
    const files = ambiguous.candidates.map((candidate) => path.basename(candidate.declPath)).join(', ');
    const related = ambiguous.candidates
      .map((candidate) =>
        collector.location(candidate.declPath, candidate.decl.nameRange, `"${ambiguous.name}" is declared here.`),
      )
      .filter((info): info is DiagnosticRelatedInformation => info !== undefined);
    const starRanges = new Map(ambiguous.candidates.map((candidate) => [candidate.starRange.start, candidate.starRange]));
    for (const range of starRanges.values()) {
      collector.addToEntry(
        range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.ambiguousStarExport,
        `"${ambiguous.name}" is exported by more than one export * (${files}). JavaScript exports neither of them, so ${routePathOf(ambiguous.name)} is not served. Export it explicitly with export { ${ambiguous.name} } from '…'.`,
        related,
      );
    }
  }
}

function checkAuth(collector: DiagnosticCollector, endpoints: Endpoint[]): void {
  const auth = authOf(collector.project);
  if (!auth) return;
  if (auth.kind === 'invalid') {
    collector.addToEntry(
      auth.range,
      DiagnosticSeverity.Warning,
      DiagnosticCodes.authInvalid,
      `auth must be '*' (every handler) or an array of handler names such as ['admin', 'report']; this value protects nothing that the editor can see.`,
    );
    return;
  }
  if (auth.kind !== 'list') return;

  const endpointNames = new Set(endpoints.map((endpoint) => endpoint.exportName));
  for (const entry of auth.entries) {
    const remove: DiagnosticFix = { fix: 'remove', value: entry.value };
    if (entry.value === 'health') {
      collector.addToEntry(
        entry.range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.authNeverGated,
        '"health" is never behind auth: liveness probes must always reach it, so this entry has no effect.',
        undefined,
        remove,
      );
    } else if (isVoiceCallbackName(entry.value)) {
      collector.addToEntry(
        entry.range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.authNeverGated,
        `"${entry.value}" is a voice callback, and voice callbacks are never behind auth (the Voice API cannot send credentials), so this entry has no effect.`,
        undefined,
        remove,
      );
    } else if (entry.value.startsWith('public/')) {
      const file = path.join(collector.project.folderPath, entry.value);
      if (!collector.project.modules.has(file) && !fileExistsQuietly(file)) {
        collector.addToEntry(
          entry.range,
          DiagnosticSeverity.Warning,
          DiagnosticCodes.authUnknownEntry,
          `"${entry.value}" in auth names no file: ${file} does not exist, so the entry protects nothing.`,
          undefined,
          remove,
        );
      }
    } else if (!endpointNames.has(entry.value)) {
      collector.addToEntry(
        entry.range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.authUnknownEntry,
        `"${entry.value}" in auth names no handler: no function is exported under that name, so the entry protects nothing.`,
        undefined,
        remove,
      );
    }
  }
}

function fileExistsQuietly(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function checkModuleProblems(collector: DiagnosticCollector): void {
  for (const unresolved of collector.project.unresolved) {
    if (unresolved.external) continue;
    collector.addToEntry(
      unresolved.range,
      DiagnosticSeverity.Warning,
      DiagnosticCodes.moduleNotFound,
      `Cannot find "${unresolved.specifier}" next to ${path.basename(collector.entryPath)}, so the exports it should bring in are not served. Check the path; relative imports of TypeScript files use the .js extension.`,
    );
  }
  const entry = collector.project.modules.get(collector.entryPath);
  for (const hint of entry?.analysis.hints ?? []) {
    collector.addToEntry(hint.range, DiagnosticSeverity.Information, DiagnosticCodes.hiddenExports, hint.message);
  }
}

/**
 * Diagnostics of a project's entry file: reserved voice names on handlers written as custom
 * endpoints, voice callbacks in the wrong place or letter case, two exports on one route, and
 * `auth` entries that protect nothing. Rules that concern a value declared in another file are
 * reported where the entry file brings it in, with related information at the declaration.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import {
  isVoiceCallbackName,
  routePathOf,
  voiceCallbackNearMiss,
  webhookExportName,
} from '../../../common/src/routes';
import { authOf, endpointsOf, lineIndexOf, type Endpoint } from '../analysis/endpoint-model';
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
export type DiagnosticFix =
  | { fix: 'rename'; name: string; newName: string }
  | { fix: 'remove'; value: string };

/**
 * Names of Sinch services whose webhooks are posted to `/webhook/<service>`. An export with the
 * bare service name serves `/<service>` instead, which is almost never what was meant.
 */
export const WEBHOOK_SERVICE_NAMES = ['conversation', 'voice', 'sms', 'numbers', 'fax', 'verification'] as const;

type UriOf = (filePath: string) => string;

interface Context {
  project: ProjectAnalysis;
  entryPath: string;
  uriOf: UriOf;
  diagnostics: Diagnostic[];
  exportNames: Set<string>;
}

export function computeDiagnostics(project: ProjectAnalysis, uriOf: UriOf): Diagnostic[] {
  const entryPath = project.entryPath;
  if (!entryPath || !project.modules.has(entryPath)) return [];
  const context: Context = {
    project,
    entryPath,
    uriOf,
    diagnostics: [],
    exportNames: new Set(project.exports.map((item) => item.name)),
  };

  for (const resolved of project.exports) {
    if (!resolved.decl.isHandler) continue;
    checkReservedName(context, resolved);
    checkNearMiss(context, resolved);
    checkWebhookName(context, resolved);
    checkAuthPage(context, resolved);
  }
  checkCollisions(context);
  checkRootCollision(context);
  checkAmbiguousStars(context);
  checkAuth(context, endpointsOf(project));
  checkModuleProblems(context);
  return context.diagnostics;
}

function add(
  context: Context,
  range: OffsetRange,
  severity: DiagnosticSeverity,
  code: string,
  message: string,
  related?: DiagnosticRelatedInformation[],
  data?: DiagnosticFix,
): void {
  const lines = lineIndexOf(context.project.modules.get(context.entryPath)!);
  const diagnostic: Diagnostic = { range: lines.rangeOf(range), severity, code, source: DIAGNOSTIC_SOURCE, message };
  if (related && related.length > 0) diagnostic.relatedInformation = related;
  if (data) diagnostic.data = data;
  context.diagnostics.push(diagnostic);
}

/** The range in the entry file that stands for an export: its name, or the construct that brings it in. */
function entryRangeOf(resolved: ResolvedExport): OffsetRange {
  return resolved.via ? resolved.via.range : resolved.decl.nameRange;
}

function locationOf(context: Context, resolved: ResolvedExport, message: string): DiagnosticRelatedInformation | undefined {
  const source = context.project.modules.get(resolved.declPath);
  if (!source) return undefined;
  return {
    location: { uri: context.uriOf(resolved.declPath), range: lineIndexOf(source).rangeOf(resolved.decl.nameRange) },
    message,
  };
}

/** Related information at the declaration, for exports declared in another file. */
function declarationInfo(context: Context, resolved: ResolvedExport): DiagnosticRelatedInformation[] {
  if (!resolved.via) return [];
  const info = locationOf(context, resolved, `"${resolved.decl.name}" is declared here.`);
  return info ? [info] : [];
}

/** A new export name that no export and no top-level name of the entry already uses. */
function freeName(context: Context, base: string): string {
  const text = context.project.modules.get(context.entryPath)?.text ?? '';
  const taken = (candidate: string) =>
    context.exportNames.has(candidate) || new RegExp(`\\b${candidate}\\b`).test(text);
  if (!taken(base)) return base;
  for (let suffix = 2; suffix < 100; suffix++) {
    if (!taken(`${base}${suffix}`)) return `${base}${suffix}`;
  }
  return `${base}${Date.now()}`;
}

function renameFix(context: Context, resolved: ResolvedExport, newName: string): DiagnosticFix | undefined {
  // The quick fix edits the entry file only, so it is offered for names declared or aliased there.
  if (resolved.via?.kind === 'star') return undefined;
  if (resolved.decl.origin === 'default') return undefined;
  return { fix: 'rename', name: resolved.name, newName };
}

function checkReservedName(context: Context, resolved: ResolvedExport): void {
  const name = resolved.name;
  if (!isVoiceCallbackName(name)) return;
  const event = name.toUpperCase();
  const route = routePathOf(name);
  const related = declarationInfo(context, resolved);
  const fix = renameFix(context, resolved, freeName(context, `${name}Endpoint`));

  if (resolved.decl.shape === 'custom') {
    add(
      context,
      entryRangeOf(resolved),
      DiagnosticSeverity.Warning,
      DiagnosticCodes.reservedVoiceName,
      `"${name}" is a reserved voice callback name: ${route} (and any path ending in /${name}) always receives the Voice API ${event} event, never an HTTP request, but this handler is written as a custom endpoint. Rename the export to serve a custom endpoint.`,
      related,
      fix,
    );
    return;
  }
  if (resolved.decl.origin === 'named' || resolved.decl.origin === 'commonjs') {
    add(
      context,
      entryRangeOf(resolved),
      DiagnosticSeverity.Information,
      DiagnosticCodes.namedVoiceCallback,
      `"${name}" is served as the Voice API ${event} callback. This runtime accepts it as a named export, but the platform documents voice callbacks as members of the default export object, and some platform versions pick up only those. To be safe, move it into \`export default { ${name} }\`.`,
      related,
    );
    return;
  }
  if (resolved.decl.shape === 'unclear') {
    add(
      context,
      entryRangeOf(resolved),
      DiagnosticSeverity.Information,
      DiagnosticCodes.reservedVoiceNameUnclear,
      `"${name}" is served as the Voice API ${event} callback: it receives the callback JSON as its second argument (not a FunctionRequest), and what it returns is sent as SVAML. Rename it if it is meant as a custom endpoint.`,
      related,
      fix,
    );
  }
}

function checkNearMiss(context: Context, resolved: ResolvedExport): void {
  const reserved = voiceCallbackNearMiss(resolved.name);
  if (!reserved) return;
  const fix = context.exportNames.has(reserved) ? undefined : renameFix(context, resolved, reserved);
  add(
    context,
    entryRangeOf(resolved),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.voiceNameCase,
    `"${resolved.name}" is never reached: export names are matched exactly, so it is not the voice callback "${reserved}", and every request whose path ends in /${reserved} (in any letter case) is sent to "${reserved}". Rename it to "${reserved}" to handle the ${reserved.toUpperCase()} event, or choose another name.`,
    declarationInfo(context, resolved),
    fix,
  );
}

function checkWebhookName(context: Context, resolved: ResolvedExport): void {
  const service = (WEBHOOK_SERVICE_NAMES as readonly string[]).find((name) => name === resolved.name);
  if (!service) return;
  const webhookName = webhookExportName(service);
  const webhook = context.project.exports.find((item) => item.name === webhookName && item.decl.isHandler);
  const related = declarationInfo(context, resolved);
  let message = `"${service}" serves /${service}, but the platform posts ${service} webhooks to /webhook/${service}, which reaches "${webhookName}".`;
  if (webhook) {
    message += ` "${webhookName}" is exported as well, so "${service}" only receives requests sent to /${service} by hand.`;
    const info = locationOf(context, webhook, `"${webhookName}" receives /webhook/${service}.`);
    if (info) related.push(info);
  } else {
    message += ` Rename it to "${webhookName}" if it should receive those webhooks.`;
  }
  add(
    context,
    entryRangeOf(resolved),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.webhookName,
    message,
    related,
    webhook ? undefined : renameFix(context, resolved, webhookName),
  );
}

function checkAuthPage(context: Context, resolved: ResolvedExport): void {
  const name = resolved.name;
  if (name !== 'login' && name !== 'logout') return;
  const message =
    name === 'login'
      ? '"login" replaces the built-in sign-in page at /login: browsers sent to a protected route land on this handler, which must set the session itself.'
      : '"logout" replaces the built-in POST /logout, which clears the sign-in session cookie.';
  add(context, entryRangeOf(resolved), DiagnosticSeverity.Information, DiagnosticCodes.authPageExport, message, declarationInfo(context, resolved));
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

function checkCollisions(context: Context): void {
  const byName = new Map<string, ResolvedExport[]>();
  for (const resolved of context.project.exports) {
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
        .map((other) => locationOf(context, other, `"${name}" is also exported here, as ${describeOrigin(other)}.`))
        .filter((info): info is DiagnosticRelatedInformation => info !== undefined);
      const outcome =
        resolved === served
          ? `This one is served.`
          : `Only ${describeOrigin(served)} is served, so this one is never called.`;
      add(
        context,
        entryRangeOf(resolved),
        DiagnosticSeverity.Warning,
        DiagnosticCodes.routeCollision,
        `"${name}" is exported ${list.length} times (this one as ${describeOrigin(resolved)}), and all of them reach ${route}. ${outcome}`,
        related,
      );
    }
  }
}

function checkRootCollision(context: Context): void {
  const root = context.project.exports.find((item) => item.name === 'default' && item.decl.isHandler);
  const home = context.project.exports.find((item) => item.name === 'home' && item.decl.isHandler);
  if (!root || !home) return;
  const homeInfo = locationOf(context, home, '"home" is exported here.');
  const rootInfo = locationOf(context, root, 'The default export serves GET / first.');
  add(
    context,
    entryRangeOf(home),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.rootCollision,
    '"home" is never reached: GET / goes to the default export first, and "home" has no other route.',
    rootInfo ? [rootInfo] : [],
  );
  add(
    context,
    entryRangeOf(root),
    DiagnosticSeverity.Warning,
    DiagnosticCodes.rootCollision,
    'The default export serves GET /, so the "home" export is never reached. Keep one of them.',
    homeInfo ? [homeInfo] : [],
  );
}

function checkAmbiguousStars(context: Context): void {
  for (const ambiguous of context.project.ambiguous) {
    const files = ambiguous.candidates.map((candidate) => path.basename(candidate.declPath)).join(', ');
    const related = ambiguous.candidates
      .map((candidate) =>
        locationOf(
          context,
          { name: ambiguous.name, decl: candidate.decl, declPath: candidate.declPath },
          `"${ambiguous.name}" is declared here.`,
        ),
      )
      .filter((info): info is DiagnosticRelatedInformation => info !== undefined);
    const starRanges = new Map(ambiguous.candidates.map((candidate) => [candidate.starRange.start, candidate.starRange]));
    for (const range of starRanges.values()) {
      add(
        context,
        range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.ambiguousStarExport,
        `"${ambiguous.name}" is exported by more than one export * (${files}). JavaScript exports neither of them, so ${routePathOf(ambiguous.name)} is not served. Export it explicitly with export { ${ambiguous.name} } from '…'.`,
        related,
      );
    }
  }
}

function checkAuth(context: Context, endpoints: Endpoint[]): void {
  const auth = authOf(context.project);
  if (!auth) return;
  if (auth.kind === 'invalid') {
    add(
      context,
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
      add(
        context,
        entry.range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.authNeverGated,
        '"health" is never behind auth: liveness probes must always reach it, so this entry has no effect.',
        undefined,
        remove,
      );
    } else if (isVoiceCallbackName(entry.value)) {
      add(
        context,
        entry.range,
        DiagnosticSeverity.Warning,
        DiagnosticCodes.authNeverGated,
        `"${entry.value}" is a voice callback, and voice callbacks are never behind auth (the Voice API cannot send credentials), so this entry has no effect.`,
        undefined,
        remove,
      );
    } else if (entry.value.startsWith('public/')) {
      const file = path.join(context.project.folderPath, entry.value);
      if (!context.project.modules.has(file) && !fileExistsQuietly(file)) {
        add(
          context,
          entry.range,
          DiagnosticSeverity.Warning,
          DiagnosticCodes.authUnknownEntry,
          `"${entry.value}" in auth names no file: ${file} does not exist, so the entry protects nothing.`,
          undefined,
          remove,
        );
      }
    } else if (!endpointNames.has(entry.value)) {
      add(
        context,
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

function checkModuleProblems(context: Context): void {
  for (const unresolved of context.project.unresolved) {
    if (unresolved.external) continue;
    add(
      context,
      unresolved.range,
      DiagnosticSeverity.Warning,
      DiagnosticCodes.moduleNotFound,
      `Cannot find "${unresolved.specifier}" next to ${path.basename(context.entryPath)}, so the exports it should bring in are not served. Check the path; relative imports of TypeScript files use the .js extension.`,
    );
  }
  const entry = context.project.modules.get(context.entryPath);
  for (const hint of entry?.analysis.hints ?? []) {
    add(context, hint.range, DiagnosticSeverity.Information, DiagnosticCodes.hiddenExports, hint.message);
  }
}

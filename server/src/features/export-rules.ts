/**
 * Rules about single exports: reserved voice names, voice callbacks as named exports, letter-case
 * near-misses, bare webhook service names, and `login`/`logout`. Each finding is reported in the
 * entry file, at the export or at the construct that brings it in, and, for a value declared in
 * another file, also at its declaration, so that the file being edited shows it too.
 */
import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { isVoiceCallbackName, routePathOf, voiceCallbackNearMiss, webhookExportName } from '../../../common/src/routes';
import type { ResolvedExport } from '../analysis/project-analysis';
import * as path from 'node:path';
import type { OffsetRange } from '../text/line-index';
import { DiagnosticCodes, type DiagnosticCollector, type DiagnosticFix } from './diagnostic-context';

/**
 * Names of Sinch services whose webhooks are posted to `/webhook/<service>`. An export with the
 * bare service name serves `/<service>` instead, which is almost never what was meant.
 */
export const WEBHOOK_SERVICE_NAMES = ['conversation', 'voice', 'sms', 'numbers', 'fax', 'verification'] as const;

/** One place a finding about an export is reported. */
interface Placement {
  filePath: string;
  range: OffsetRange;
  related: DiagnosticRelatedInformation[];
  /** True when renaming at `range` renames the export, so a rename quick fix is correct there. */
  canRename: boolean;
}

function placementsOf(collector: DiagnosticCollector, resolved: ResolvedExport): Placement[] {
  if (!resolved.via || resolved.declPath === collector.entryPath) {
    return [{ filePath: collector.entryPath, range: resolved.decl.nameRange, related: [], canRename: resolved.decl.origin !== 'default' }];
  }
  const declaration = collector.declarationLocation(resolved, `"${resolved.decl.name}" is declared here.`);
  const passedOn = collector.location(
    collector.entryPath,
    resolved.via.range,
    `${path.basename(collector.entryPath)} exports it as "${resolved.name}" here.`,
  );
  const inEntry: Placement = {
    filePath: collector.entryPath,
    range: resolved.via.range,
    related: declaration ? [declaration] : [],
    // Renaming an alias in the entry renames the export; an `export *` line has no name to rename.
    canRename: resolved.via.kind === 'alias',
  };
  // An alias gives the value another name than its declaration has; only same-name exports are
  // reported at the declaration.
  if (resolved.decl.name !== resolved.name) return [inEntry];
  const atDeclaration: Placement = {
    filePath: resolved.declPath,
    range: resolved.decl.nameRange,
    related: passedOn ? [passedOn] : [],
    // Renaming a declaration that the entry imports by name would break that import.
    canRename: resolved.via.kind === 'star' || resolved.decl.origin === 'default-member',
  };
  return [inEntry, atDeclaration];
}

/** Runs every single-export rule on one export. */
export function checkExport(collector: DiagnosticCollector, resolved: ResolvedExport): void {
  if (!resolved.decl.isHandler) return;
  for (const placement of placementsOf(collector, resolved)) {
    checkReservedName(collector, resolved, placement);
    checkNearMiss(collector, resolved, placement);
    checkWebhookName(collector, resolved, placement);
    checkAuthPage(collector, resolved, placement);
  }
}

function renameFix(placement: Placement, name: string, newName: string): DiagnosticFix | undefined {
  return placement.canRename ? { fix: 'rename', name, newName } : undefined;
}

function checkReservedName(collector: DiagnosticCollector, resolved: ResolvedExport, placement: Placement): void {
  const name = resolved.name;
  if (!isVoiceCallbackName(name)) return;
  const event = name.toUpperCase();
  const route = routePathOf(name);
  const fix = renameFix(placement, name, collector.freeName(placement.filePath, `${name}Endpoint`));

  if (resolved.decl.shape === 'custom') {
    collector.add(
      placement.filePath,
      placement.range,
      DiagnosticSeverity.Warning,
      DiagnosticCodes.reservedVoiceName,
      `"${name}" is a reserved voice callback name: ${route} (and any path ending in /${name}) always receives the Voice API ${event} event, never an HTTP request, but this handler is written as a custom endpoint. Rename the export to serve a custom endpoint.`,
      placement.related,
      fix,
    );
    return;
  }
  if (resolved.decl.origin === 'named' || resolved.decl.origin === 'commonjs') {
    collector.add(
      placement.filePath,
      placement.range,
      DiagnosticSeverity.Information,
      DiagnosticCodes.namedVoiceCallback,
      `"${name}" is served as the Voice API ${event} callback. This runtime accepts it as a named export, but the platform documents voice callbacks as members of the default export object, and some platform versions pick up only those. To be safe, move it into \`export default { ${name} }\`.`,
      placement.related,
    );
    return;
  }
  if (resolved.decl.shape === 'unclear') {
    collector.add(
      placement.filePath,
      placement.range,
      DiagnosticSeverity.Information,
      DiagnosticCodes.reservedVoiceNameUnclear,
      `"${name}" is served as the Voice API ${event} callback: it receives the callback JSON as its second argument (not a FunctionRequest), and what it returns is sent as SVAML. Rename it if it is meant as a custom endpoint.`,
      placement.related,
      fix,
    );
  }
}

function checkNearMiss(collector: DiagnosticCollector, resolved: ResolvedExport, placement: Placement): void {
  const reserved = voiceCallbackNearMiss(resolved.name);
  if (!reserved) return;
  const fix = collector.exportNames.has(reserved) ? undefined : renameFix(placement, resolved.name, reserved);
  collector.add(
    placement.filePath,
    placement.range,
    DiagnosticSeverity.Warning,
    DiagnosticCodes.voiceNameCase,
    `"${resolved.name}" is never reached: export names are matched exactly, so it is not the voice callback "${reserved}", and every request whose path ends in /${reserved} (in any letter case) is sent to "${reserved}". Rename it to "${reserved}" to handle the ${reserved.toUpperCase()} event, or choose another name.`,
    placement.related,
    fix,
  );
}

function checkWebhookName(collector: DiagnosticCollector, resolved: ResolvedExport, placement: Placement): void {
  const service = (WEBHOOK_SERVICE_NAMES as readonly string[]).find((name) => name === resolved.name);
  if (!service) return;
  const webhookName = webhookExportName(service);
  const webhook = collector.project.exports.find((item) => item.name === webhookName && item.decl.isHandler);
  const related = [...placement.related];
  let message = `"${service}" serves /${service}, but the platform posts ${service} webhooks to /webhook/${service}, which reaches "${webhookName}".`;
  if (webhook) {
    message += ` "${webhookName}" is exported as well, so "${service}" only receives requests sent to /${service} by hand.`;
    const info = collector.declarationLocation(webhook, `"${webhookName}" receives /webhook/${service}.`);
    if (info) related.push(info);
  } else {
    message += ` Rename it to "${webhookName}" if it should receive those webhooks.`;
  }
  collector.add(
    placement.filePath,
    placement.range,
    DiagnosticSeverity.Warning,
    DiagnosticCodes.webhookName,
    message,
    related,
    webhook ? undefined : renameFix(placement, service, webhookName),
  );
}

function checkAuthPage(collector: DiagnosticCollector, resolved: ResolvedExport, placement: Placement): void {
  const name = resolved.name;
  if (name !== 'login' && name !== 'logout') return;
  const message =
    name === 'login'
      ? '"login" replaces the built-in sign-in page at /login: browsers sent to a protected route land on this handler, which must set the session itself.'
      : '"logout" replaces the built-in POST /logout, which clears the sign-in session cookie.';
  collector.add(placement.filePath, placement.range, DiagnosticSeverity.Information, DiagnosticCodes.authPageExport, message, placement.related);
}

/**
 * Turns a project's exports into endpoints with the platform's routing rules from
 * `common/src/routes.ts`, the module the runtime dispatches with.
 */
import {
  classifyExport,
  defaultMethodOf,
  routePathOf,
  type EndpointKind,
} from '../../../common/src/routes';
import { LineIndex } from '../text/line-index';
import type { AuthConfig } from './module-types';
import type { ProjectAnalysis, ResolvedExport } from './project-analysis';
import type { SourceFile } from './source-host';

export interface Endpoint {
  exportName: string;
  kind: EndpointKind;
  route: string;
  method: 'GET' | 'POST';
  /** The fields a custom handler reads from the request body, when it reads the body. */
  bodyFields?: readonly string[];
  protected: boolean;
  resolved: ResolvedExport;
}

const lineIndexes = new WeakMap<SourceFile, LineIndex>();

/** Returns the line index of a source file's text, built once per text. */
export function lineIndexOf(source: SourceFile): LineIndex {
  if (source.lines) return source.lines;
  let index = lineIndexes.get(source);
  if (!index) {
    index = new LineIndex(source.text);
    lineIndexes.set(source, index);
  }
  return index;
}

/** Returns the `auth` configuration of the entry file, if it has one. */
export function authOf(project: ProjectAnalysis): AuthConfig | undefined {
  return project.entryPath ? project.modules.get(project.entryPath)?.analysis.auth : undefined;
}

/** Kinds that are never behind auth: liveness probes and Voice API v1 callbacks. */
export function isNeverGated(kind: EndpointKind): boolean {
  return kind === 'health' || kind === 'voice-callback';
}

/**
 * Returns the project's endpoints, one per route name. When a named export and a member of the
 * default export object share a name, the named export is served and listed.
 */
export function endpointsOf(project: ProjectAnalysis): Endpoint[] {
  const auth = authOf(project);
  const byName = new Map<string, Endpoint>();
  for (const resolved of project.exports) {
    if (!resolved.decl.isHandler) continue;
    const kind = classifyExport(resolved.name);
    if (kind === undefined) continue;
    const existing = byName.get(resolved.name);
    if (existing && !(existing.resolved.decl.origin === 'default-member' && resolved.decl.origin !== 'default-member')) {
      continue;
    }
    // A custom handler that reads `request.body` expects a POST with a body, not the default GET.
    const bodyFields = kind === 'custom' ? resolved.decl.bodyFields : undefined;
    byName.set(resolved.name, {
      exportName: resolved.name,
      kind,
      route: routePathOf(resolved.name),
      method: bodyFields ? 'POST' : defaultMethodOf(resolved.name),
      bodyFields,
      protected: isProtected(resolved.name, kind, auth),
      resolved,
    });
  }
  return [...byName.values()];
}

function isProtected(name: string, kind: EndpointKind, auth: AuthConfig | undefined): boolean {
  if (!auth || isNeverGated(kind)) return false;
  if (auth.kind === 'all') return true;
  if (auth.kind === 'list') return auth.entries.some((entry) => entry.value === name);
  return false;
}

/**
 * Builds the complete export list of a function project. It contains the entry file's own exports
 * and the names passed on from other files by `export { x } from`, by exporting an imported
 * binding, and by `export *`, which is followed through chains of up to `MAX_MODULE_DEPTH` files
 * until a cycle ends the walk. Every file read is recorded, so that an edit to any of them refreshes the project.
 */
import type { OffsetRange } from '../text/line-index';
import { resolveModule } from './module-resolution';
import type { ExportDecl, ModuleAnalysis } from './module-types';
import type { SourceFile, SourceHost } from './source-host';

/**
 * Longest chain of re-exporting files that is followed. The walk recurses once per file, so the
 * bound keeps a generated chain from exhausting the stack; hand-written projects stay far below it.
 */
const MAX_MODULE_DEPTH = 1000;

export interface ResolvedExport {
  /** The name the entry file exports it under. */
  name: string;
  /** The declaration that gives the value (its own name may differ when aliased). */
  decl: ExportDecl;
  /** The file that contains `decl`. */
  declPath: string;
  /** For a value declared in another file: the construct in the entry file that brings it in. */
  via?: { kind: 'star' | 'alias'; range: OffsetRange };
}

/** A name that two `export *` statements of the entry file both provide; JavaScript exports neither. */
export interface AmbiguousStarExport {
  name: string;
  candidates: { starRange: OffsetRange; declPath: string; decl: ExportDecl }[];
}

export interface UnresolvedModule {
  specifier: string;
  range: OffsetRange;
  external: boolean;
}

export interface ProjectAnalysis {
  folderPath: string;
  entryPath: string | null;
  /** Every file read, by path, including the entry. */
  modules: Map<string, SourceFile>;
  /** The entry's exports in source order; two exports may share a name (a collision). */
  exports: ResolvedExport[];
  ambiguous: AmbiguousStarExport[];
  /** Relative specifiers of the entry file that name no file. */
  unresolved: UnresolvedModule[];
  /** Paths whose change can change this analysis (files read and files that were looked for). */
  dependencies: Set<string>;
}

export function analyzeProject(folderPath: string, entryPath: string | null, host: SourceHost): ProjectAnalysis {
  const project: ProjectAnalysis = {
    folderPath,
    entryPath,
    modules: new Map(),
    exports: [],
    ambiguous: [],
    unresolved: [],
    dependencies: new Set(),
  };
  if (entryPath === null) return project;
  const resolver = new ExportResolver(host, project);
  const entry = resolver.moduleExports(entryPath, [], true);
  project.exports = entry;
  return project;
}

class ExportResolver {
  private readonly memo = new Map<string, ResolvedExport[]>();

  constructor(
    private readonly host: SourceHost,
    private readonly project: ProjectAnalysis,
  ) {}

  private load(path: string): ModuleAnalysis | undefined {
    this.project.dependencies.add(path);
    const existing = this.project.modules.get(path);
    if (existing) return existing.analysis;
    const source = this.host.getSource(path);
    if (!source) return undefined;
    this.project.modules.set(path, source);
    return source.analysis;
  }

  private resolve(fromPath: string, specifier: string, range: OffsetRange, isEntry: boolean): string | undefined {
    const resolved = resolveModule(fromPath, specifier, this.host);
    for (const candidate of resolved.candidates) this.project.dependencies.add(candidate);
    if (!resolved.path && isEntry) {
      this.project.unresolved.push({ specifier, range, external: resolved.external });
    }
    return resolved.path;
  }

  /** Returns the exports of one file, with values passed on from other files resolved to their declarations. */
  moduleExports(path: string, chain: string[], isEntry = false): ResolvedExport[] {
    const memoized = this.memo.get(path);
    if (memoized) return memoized;
    if (chain.includes(path) || chain.length > MAX_MODULE_DEPTH) return [];
    const analysis = this.load(path);
    if (!analysis) return [];
    const nextChain = [...chain, path];

    const own = analysis.exports.flatMap((decl) => this.resolveOwn(path, decl, nextChain, isEntry));
    const ownNames = new Set(own.filter((item) => item.decl.origin !== 'default-member').map((item) => item.name));
    const fromStars = this.starExports(path, analysis, nextChain, ownNames, isEntry);
    const result = [...own, ...fromStars];
    this.memo.set(path, result);
    return result;
  }

  /**
   * Resolves one export of a file. A value imported from another file resolves to its declaration
   * there; `export default` of an imported default object resolves to that object's members.
   */
  private resolveOwn(path: string, decl: ExportDecl, chain: string[], isEntry: boolean): ResolvedExport[] {
    const local: ResolvedExport = { name: decl.name, decl, declPath: path };
    if (!decl.source) return [local];
    const target = this.resolve(path, decl.source.specifier, decl.source.range, isEntry);
    if (!target) return [local];
    const importedName = decl.source.importedName;
    const targetExports = this.moduleExports(target, chain);
    const via = { kind: 'alias' as const, range: decl.nameRange };

    const found = targetExports.find((candidate) => candidate.name === importedName && candidate.decl.origin !== 'default-member');
    if (found) return [{ name: decl.name, decl: found.decl, declPath: found.declPath, via }];

    if (decl.origin === 'default' && importedName === 'default') {
      const members = targetExports.filter((candidate) => candidate.decl.origin === 'default-member');
      if (members.length > 0) {
        return members.map((member) => ({ name: member.name, decl: member.decl, declPath: member.declPath, via }));
      }
    }
    return [local];
  }

  private starExports(
    path: string,
    analysis: ModuleAnalysis,
    chain: string[],
    ownNames: ReadonlySet<string>,
    isEntry: boolean,
  ): ResolvedExport[] {
    const byName = new Map<string, ResolvedExport[]>();
    for (const star of analysis.stars) {
      const target = this.resolve(path, star.specifier, star.range, isEntry);
      if (!target) continue;
      for (const item of this.moduleExports(target, chain)) {
        // `export *` never passes on the default export or the members of a default object.
        if (item.name === 'default' || item.decl.origin === 'default-member' || item.decl.origin === 'default') continue;
        if (ownNames.has(item.name)) continue;
        const passed: ResolvedExport = { ...item, via: { kind: 'star', range: star.range } };
        const list = byName.get(item.name) ?? [];
        if (!list.some((existing) => sameDeclaration(existing, passed))) list.push(passed);
        byName.set(item.name, list);
      }
    }

    const result: ResolvedExport[] = [];
    for (const [name, list] of byName) {
      if (list.length === 1) {
        result.push(list[0]);
      } else if (isEntry) {
        this.project.ambiguous.push({
          name,
          candidates: list.map((item) => ({ starRange: item.via!.range, declPath: item.declPath, decl: item.decl })),
        });
      }
    }
    return result;
  }
}

function sameDeclaration(a: ResolvedExport, b: ResolvedExport): boolean {
  return a.declPath === b.declPath && a.decl.nameRange.start === b.decl.nameRange.start;
}

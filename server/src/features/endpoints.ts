/** The endpoint table that the `sinchFunctions/endpoints` request returns. */
import type { EndpointInfo, EndpointTable } from '../../../common/src/protocol';
import { lineIndexOf, type Endpoint } from '../analysis/endpoint-model';
import type { ProjectAnalysis } from '../analysis/project-analysis';

export function buildEndpointTable(
  project: ProjectAnalysis | undefined,
  endpoints: readonly Endpoint[],
  folderUri: string,
  uriOf: (filePath: string) => string,
): EndpointTable {
  if (!project || !project.entryPath) return { folderUri, entryUri: null, endpoints: [] };
  const infos: EndpointInfo[] = [];
  for (const endpoint of endpoints) {
    const source = project.modules.get(endpoint.resolved.declPath);
    if (!source) continue;
    infos.push({
      exportName: endpoint.exportName,
      kind: endpoint.kind,
      route: endpoint.route,
      method: endpoint.method,
      ...(endpoint.bodyFields ? { bodyFields: [...endpoint.bodyFields] } : {}),
      uri: uriOf(endpoint.resolved.declPath),
      range: lineIndexOf(source).rangeOf(endpoint.resolved.decl.nameRange),
      protected: endpoint.protected,
    });
  }
  return { folderUri, entryUri: uriOf(project.entryPath), endpoints: infos };
}

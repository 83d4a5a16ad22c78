/**
 * Code lenses over each handler: the route it serves, then `Run` and `Debug` (or, over a voice
 * callback, lenses that send that voice event). The extension implements the commands; each gets
 * the document URI and the export name.
 */
import type { CodeLens } from 'vscode-languageserver';
import { Commands, type EndpointCommandArgs } from '../../../common/src/protocol';
import { lineIndexOf, type Endpoint } from '../analysis/endpoint-model';
import type { SourceFile } from '../analysis/source-host';

export function computeCodeLenses(endpoints: readonly Endpoint[], source: SourceFile, uri: string): CodeLens[] {
  const lines = lineIndexOf(source);
  const lenses: CodeLens[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.resolved.declPath !== source.path) continue;
    const range = lines.rangeOf(endpoint.resolved.decl.nameRange);
    const args: EndpointCommandArgs = { uri, exportName: endpoint.exportName };
    const routeTitle = `${endpoint.method} ${endpoint.route}${endpoint.protected ? ' (auth)' : ''}`;
    // A lens with an empty command id is shown as plain text.
    lenses.push({ range, command: { title: routeTitle, command: '' } });

    if (endpoint.kind === 'voice-callback') {
      const event = endpoint.exportName.toUpperCase();
      lenses.push({ range, command: { title: `Send ${event}`, command: Commands.runEndpoint, arguments: [args] } });
      lenses.push({ range, command: { title: `Debug ${event}`, command: Commands.debugEndpoint, arguments: [args] } });
      if (endpoint.exportName === 'ice') {
        lenses.push({ range, command: { title: 'Simulate call', command: Commands.simulateCall, arguments: [args] } });
      }
    } else {
      lenses.push({ range, command: { title: 'Run', command: Commands.runEndpoint, arguments: [args] } });
      lenses.push({ range, command: { title: 'Debug', command: Commands.debugEndpoint, arguments: [args] } });
    }
  }
  return lenses;
}

/**
 * Links in the runtime's log: the export named by a request line opens the handler's definition.
 * Output channels are documents with the `output` scheme; only the runtime channel is linked.
 */
import * as vscode from 'vscode';
import type { EndpointRegistry } from '../endpoints/endpoint-registry';
import { CHANNEL_NAMES } from '../log/channels';
import { findExportMention } from '../runtime/log-lines';

/** Lines scanned per document, so a long session's log stays cheap to link. */
const MAX_LINES = 5000;

export class RuntimeLogLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly registry: EndpointRegistry) {}

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    if (!decodeURIComponent(document.uri.toString()).includes(CHANNEL_NAMES.runtime)) return [];
    const links: vscode.DocumentLink[] = [];
    const first = Math.max(0, document.lineCount - MAX_LINES);
    for (let line = first; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      const mention = findExportMention(text);
      if (!mention) continue;
      const endpoint = this.findEndpoint(mention.exportName);
      if (!endpoint) continue;
      const target = vscode.Uri.parse(endpoint.uri).with({ fragment: `L${endpoint.range.start.line + 1},${endpoint.range.start.character + 1}` });
      const link = new vscode.DocumentLink(new vscode.Range(line, mention.start, line, mention.start + mention.exportName.length), target);
      link.tooltip = `Open the ${mention.exportName} handler`;
      links.push(link);
    }
    return links;
  }

  private findEndpoint(exportName: string) {
    for (const table of this.registry.list()) {
      const endpoint = table.endpoints.find((candidate) => candidate.exportName === exportName);
      if (endpoint) return endpoint;
    }
    return undefined;
  }
}

export function registerRuntimeLogLinks(registry: EndpointRegistry): vscode.Disposable {
  return vscode.languages.registerDocumentLinkProvider({ scheme: 'output' }, new RuntimeLogLinkProvider(registry));
}

/**
 * The Request view's webview host: serves the page under a strict content security policy (no
 * inline script, scripts and fonts only from the extension, a nonce per load) and connects it to
 * the request controller. The page uses `@vscode-elements/elements` and the editor's theme
 * variables, so it follows the user's colour theme.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { RequestController } from '../request/request-controller';

export const REQUEST_VIEW_ID = 'sinchFunctions.request';

export class RequestViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private connection: vscode.Disposable | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: RequestController,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const codicons = vscode.Uri.joinPath(this.extensionUri, 'node_modules', '@vscode', 'codicons', 'dist');
    view.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'client'), vscode.Uri.joinPath(this.extensionUri, 'media'), codicons],
    };
    this.connection?.dispose();
    this.connection = this.controller.attachWebview(view.webview);
    view.webview.html = this.html(view.webview, codicons);
    view.onDidDispose(() => {
      this.connection?.dispose();
      this.connection = undefined;
      this.view = undefined;
    });
  }

  /** Opens the view (creating it when needed) so the next state reaches it. */
  async reveal(): Promise<void> {
    if (this.view) {
      this.view.show(true);
      return;
    }
    await vscode.commands.executeCommand(`${REQUEST_VIEW_ID}.focus`);
  }

  get isResolved(): boolean {
    return this.view !== undefined;
  }

  private html(webview: vscode.Webview, codicons: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'client', 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'request-view.css'));
    const codiconCss = webview.asWebviewUri(vscode.Uri.joinPath(codicons, 'codicon.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codiconCss}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${style}">
<title>Request</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.connection?.dispose();
  }
}

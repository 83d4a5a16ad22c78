/**
 * The Simulated Call panel: an editor-area webview that shows one call's timeline as it happens
 * and collects the caller's choices. The simulation asks through `ask`; the page answers with a
 * message. Closing the panel hangs up a call that is still running.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { describeEntry } from '../../../runtime/src/simulator/timeline-text';
import type { CallerChoice, CallerPrompt, CallIdentity, CallOutcome, TimelineEntry, VoiceApi } from '../../../runtime/src/simulator/types';
import { callPanelHtml } from './call-panel-html';

export const CALL_PANEL_VIEW_TYPE = 'sinchFunctions.simulatedCall';

type PanelMessage = { type: 'ready' } | { type: 'answer'; choice: CallerChoice } | { type: 'hangup' } | { type: 'save' } | { type: 'again' };

export class CallPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private ready = false;
  private readonly queued: unknown[] = [];
  private pendingAnswer: ((choice: CallerChoice) => void) | undefined;
  private disposed = false;
  private readonly hangUpEmitter = new vscode.EventEmitter<void>();
  private readonly saveEmitter = new vscode.EventEmitter<void>();
  private readonly againEmitter = new vscode.EventEmitter<void>();
  private readonly closeEmitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.hangUpEmitter, this.saveEmitter, this.againEmitter, this.closeEmitter];
  /** Fires when the user presses Hang up, or closes the panel during a call. */
  readonly onDidRequestHangUp = this.hangUpEmitter.event;
  readonly onDidRequestSave = this.saveEmitter.event;
  readonly onDidRequestAgain = this.againEmitter.event;
  /** Fires once when the user closes the panel. */
  readonly onDidClose = this.closeEmitter.event;
  /** Number of timeline entries shown; the extension's API exposes it to tests. */
  entriesShown = 0;

  constructor(title: string) {
    this.panel = vscode.window.createWebviewPanel(CALL_PANEL_VIEW_TYPE, title, vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [],
    });
    this.panel.webview.html = callPanelHtml(randomBytes(16).toString('base64'), this.panel.webview.cspSource, title);
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: PanelMessage) => this.onMessage(message)),
      this.panel.onDidDispose(() => this.onPanelClosed()),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  reveal(): void {
    this.panel.reveal(vscode.ViewColumn.Beside, true);
  }

  start(api: VoiceApi, call: CallIdentity): void {
    this.entriesShown = 0;
    this.post({ type: 'start', api, call });
  }

  showEntry(entry: TimelineEntry): void {
    this.entriesShown += 1;
    this.post({ type: 'entry', entry, lines: describeEntry(entry) });
  }

  /** Shows the prompt and resolves with the user's choice; a closed panel answers hang up. */
  ask(prompt: CallerPrompt): Promise<CallerChoice> {
    if (this.disposed) return Promise.resolve({ kind: 'hangup' });
    this.post({ type: 'prompt', prompt });
    return new Promise((resolve) => {
      this.pendingAnswer = resolve;
    });
  }

  showEnd(outcome: CallOutcome): void {
    this.post({ type: 'ended', outcome });
  }

  showSaved(file: string): void {
    this.post({ type: 'saved', file });
  }

  private post(message: unknown): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queued.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private onMessage(message: PanelMessage): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        for (const queued of this.queued.splice(0)) void this.panel.webview.postMessage(queued);
        break;
      case 'answer': {
        const resolve = this.pendingAnswer;
        this.pendingAnswer = undefined;
        resolve?.(message.choice);
        break;
      }
      case 'hangup':
        this.hangUpEmitter.fire();
        this.answerPending({ kind: 'hangup' });
        break;
      case 'save':
        this.saveEmitter.fire();
        break;
      case 'again':
        this.againEmitter.fire();
        break;
    }
  }

  private answerPending(choice: CallerChoice): void {
    const resolve = this.pendingAnswer;
    this.pendingAnswer = undefined;
    resolve?.(choice);
  }

  private onPanelClosed(): void {
    this.disposed = true;
    this.hangUpEmitter.fire();
    this.answerPending({ kind: 'hangup' });
    this.closeEmitter.fire();
  }

  dispose(): void {
    if (!this.disposed) this.panel.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

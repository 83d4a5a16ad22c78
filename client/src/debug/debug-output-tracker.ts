/**
 * Copies the runtime's output from its debug sessions into the runtime log channel, so the log
 * reads the same whether the runtime runs with or without the debugger. js-debug reports the
 * program's output on the child session of the launch, hence the parent lookup.
 */
import * as vscode from 'vscode';
import { projectDirOfSession, type RuntimeManager } from '../runtime/runtime-manager';

interface OutputEvent {
  type: 'event';
  event: 'output';
  body: { category?: string; output: string };
}

export function registerDebugOutputTracker(runtimes: RuntimeManager): vscode.Disposable {
  // Whichever session of a launch reports program output first is the one followed, so the same
  // line is never copied twice when both the parent and the child session carry it.
  const speaker = new Map<string, string>();
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker(session) {
      const projectDir = projectDirOfSession(session) ?? projectDirOfSession(session.parentSession);
      if (!projectDir) return undefined;
      return {
        onDidSendMessage(message: unknown) {
          const event = message as Partial<OutputEvent>;
          if (event.type !== 'event' || event.event !== 'output' || !event.body) return;
          const category = event.body.category ?? 'console';
          if (category !== 'stdout' && category !== 'stderr') return;
          const current = speaker.get(projectDir);
          if (current === undefined) speaker.set(projectDir, session.id);
          else if (current !== session.id) return;
          runtimes.writeDebugOutput(projectDir, event.body.output);
        },
        onExit() {
          if (speaker.get(projectDir) === session.id) speaker.delete(projectDir);
        },
      };
    },
  });
}

/**
 * The Replay Recorded Calls command: replays every call saved under the project's
 * `.sinch/calls/` against its runtime and reports each difference in what the function returned
 * in the extension's log, with a summary message.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { HttpTransport } from '../../../runtime/src/simulator/http-transport';
import { CALLS_FOLDER, loadRecording, RecordingError, recordingFiles } from '../../../runtime/src/simulator/recording';
import { formatDifference, replayCall } from '../../../runtime/src/simulator/replay';
import { signingCredentialsFor } from '../../../runtime/src/simulator/signing';
import { errorMessage } from '../log/channels';
import { projectDirOf, runtimeUrlFor, type Dependencies } from './simulate-call-command';

export const REPLAY_CALLS_COMMAND = 'sinchFunctions.replayCalls';

export interface ReplayReport {
  file: string;
  matches: boolean;
  /** One line per difference, or the reason the file could not be replayed. */
  differences: string[];
}

async function replayProject(deps: Dependencies, projectDir: string): Promise<ReplayReport[] | undefined> {
  let files: string[];
  try {
    files = recordingFiles(path.join(projectDir, CALLS_FOLDER));
  } catch (error) {
    if (!(error instanceof RecordingError)) throw error;
    void vscode.window.showInformationMessage(`No recorded calls in ${path.join(path.basename(projectDir), CALLS_FOLDER)}: simulate a call and save it first.`);
    return undefined;
  }
  const baseUrl = await runtimeUrlFor(deps, projectDir);
  if (baseUrl === undefined) return undefined;

  const reports: ReplayReport[] = [];
  for (const file of files) {
    try {
      const recording = loadRecording(file);
      const transport = new HttpTransport(baseUrl, signingCredentialsFor(recording.api, projectDir));
      const replay = await replayCall(recording, { transport });
      reports.push({ file, matches: replay.matches, differences: replay.differences.map(formatDifference) });
    } catch (error) {
      reports.push({ file, matches: false, differences: [errorMessage(error)] });
    }
  }
  return reports;
}

function logReports(log: vscode.LogOutputChannel, reports: ReplayReport[]): void {
  for (const report of reports) {
    const name = path.basename(report.file);
    if (report.matches) {
      log.info(`Replay ${name}: the function returned the same.`);
      continue;
    }
    log.warn(`Replay ${name}: ${report.differences.length} difference(s).`);
    for (const line of report.differences) log.warn(`  ${line}`);
  }
}

export function registerReplayCallsCommand(deps: Dependencies): vscode.Disposable {
  return vscode.commands.registerCommand(REPLAY_CALLS_COMMAND, async (arg?: unknown): Promise<ReplayReport[] | undefined> => {
    const projectDir = await projectDirOf(deps.registry, arg);
    if (projectDir === undefined) return undefined;
    let reports: ReplayReport[] | undefined;
    try {
      reports = await replayProject(deps, projectDir);
    } catch (error) {
      deps.log.error(`Replaying the recorded calls of ${projectDir} failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Replaying the recorded calls failed: ${errorMessage(error)}`);
      return undefined;
    }
    if (reports === undefined) return undefined;

    logReports(deps.log, reports);
    const differing = reports.filter((report) => !report.matches).length;
    if (differing === 0) {
      void vscode.window.showInformationMessage(`All ${reports.length} recorded call(s) returned the same.`);
    } else {
      void vscode.window.showWarningMessage(`${differing} of ${reports.length} recorded call(s) differ.`, 'Open Log').then((choice) => {
        if (choice) deps.log.show(true);
      });
    }
    return reports;
  });
}

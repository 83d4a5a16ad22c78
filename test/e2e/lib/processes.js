// Process-group bookkeeping for everything the end-to-end tools start. Each child is spawned
// detached, so it leads a process group of its own, and stopping it signals the whole group:
// code-server's extension host and language server outlive the server process otherwise.
'use strict';

const { spawn } = require('node:child_process');

/** Process-group ids of children that are still running. */
const runningGroups = new Set();
/** Async cleanups (browser close, group stops) run on SIGINT, SIGTERM and SIGHUP. */
const signalCleanups = new Set();
let signalHandlersInstalled = false;

function isGroupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

/**
 * Resolves once no process of the group is left, or with false after `timeoutMs`. A process group
 * has no exit event, so this checks it with signal 0 every 50 ms.
 */
async function waitForGroupExit(pgid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Sends SIGTERM to the group, then SIGKILL to whatever is left after `graceMs`. */
async function stopGroup(pgid, graceMs = 5000) {
  if (!runningGroups.has(pgid) && !isGroupAlive(pgid)) return;
  signalGroup(pgid, 'SIGTERM');
  if (!(await waitForGroupExit(pgid, graceMs))) {
    signalGroup(pgid, 'SIGKILL');
    await waitForGroupExit(pgid, 5000);
  }
  runningGroups.delete(pgid);
}

/** Spawns `command` as the leader of a new process group that `stopGroup` or exit will end. */
function spawnGroup(command, args, options) {
  installSignalHandlers();
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) {
    runningGroups.add(child.pid);
    child.once('exit', () => {
      // The leader is gone, but the group lives on until its last member exits.
      if (!isGroupAlive(child.pid)) runningGroups.delete(child.pid);
    });
  }
  return child;
}

/** Registers a cleanup to run on a terminating signal; returns a function that unregisters it. */
function onSignalCleanup(cleanup) {
  installSignalHandlers();
  signalCleanups.add(cleanup);
  return () => signalCleanups.delete(cleanup);
}

function installSignalHandlers() {
  if (signalHandlersInstalled) return;
  signalHandlersInstalled = true;

  let stopping = false;
  const exitCodes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const signal of Object.keys(exitCodes)) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`Received ${signal}; stopping every process that was started.`);
      const cleanups = [...signalCleanups].map((cleanup) => Promise.resolve().then(cleanup).catch(() => {}));
      const groups = [...runningGroups].map((pgid) => stopGroup(pgid, 3000).catch(() => {}));
      Promise.all([...cleanups, ...groups]).finally(() => process.exit(exitCodes[signal]));
    });
  }
  // Last resort when the process exits without a stop, for example on an uncaught exception.
  process.on('exit', () => {
    for (const pgid of runningGroups) signalGroup(pgid, 'SIGKILL');
  });
}

module.exports = { spawnGroup, stopGroup, onSignalCleanup, isGroupAlive };

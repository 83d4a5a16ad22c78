/**
 * Extension-host test suite, runner-neutral: `@vscode/test-electron` and the code-server runner
 * both load this file as `extensionTestsPath` and call `run()`.
 *
 * The suite expects:
 * - the extension under test at the repository root, built (`npm run build`);
 * - a workspace folder that is a copy of `examples/custom-endpoints`, because the Debug test edits
 *   and saves `function.ts` (it restores the text afterwards);
 * - a trusted workspace for the main suite. Opened in Restricted Mode, only the Restricted Mode
 *   suite runs, and the trusted tests are skipped.
 *
 * Suite files end in `.suite.ts` so that Node's test runner (`npm test`) does not pick them up.
 */
/// <reference types="mocha" />
import * as path from 'node:path';
import Mocha = require('mocha');

/**
 * Environment variable with a regular expression of test titles to leave out of a run, set by
 * runners that must not depend on a test known to be unreliable there.
 */
export const SKIP_TESTS_VARIABLE = 'SINCH_EXTENSION_TESTS_SKIP';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, color: false, reporter: 'spec' });
  const skip = process.env[SKIP_TESTS_VARIABLE];
  if (skip) mocha.grep(new RegExp(skip)).invert();
  for (const file of ['extension.suite.js', 'restricted-mode.suite.js', 'simulate-call.suite.js']) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} extension-host tests failed.`)) : resolve()));
  });
}

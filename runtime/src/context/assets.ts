/** `context.assets(name)`: reads a private file from the project's `assets/` folder as UTF-8. */
import * as fs from 'node:fs';
import { resolveInside } from './contained-path';

export async function readAsset(assetsFolder: string, name: string): Promise<string> {
  const file = await resolveInside(assetsFolder, name, 'Asset name');
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR') {
      const missing = new Error(`Asset "${name}" not found: put the file at ${file}.`) as NodeJS.ErrnoException;
      missing.code = 'ENOENT';
      throw missing;
    }
    throw error;
  }
}

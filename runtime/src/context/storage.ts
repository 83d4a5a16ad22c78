/**
 * `context.storage` on local disk: every key is a file under the project's `storage/` folder,
 * created on the first write. Writes go to a temporary file first and are renamed into place, so
 * a reader never sees half a file.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IFunctionStorage } from '../../functions-runtime/src/types';
import { resolveInside } from './contained-path';

const KEY_KIND = 'Storage key';

export class FileStorage implements IFunctionStorage {
  constructor(readonly folder: string) {}

  async write(key: string, data: string | Uint8Array): Promise<void> {
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new TypeError(`storage.write("${key}") expects a string or bytes; got ${typeof data}.`);
    }
    await fs.promises.mkdir(this.folder, { recursive: true });
    const file = await resolveInside(this.folder, key, KEY_KIND);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Re-check after creating the folders: a symbolic link created in between must not be followed.
    await resolveInside(this.folder, key, KEY_KIND);
    const temporary = `${file}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(temporary, data);
    await fs.promises.rename(temporary, file);
  }

  async read(key: string): Promise<Buffer> {
    const file = await resolveInside(this.folder, key, KEY_KIND);
    try {
      return await fs.promises.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') {
        const missing = new Error(`Storage key "${key}" does not exist.`) as NodeJS.ErrnoException;
        missing.code = 'ENOENT';
        throw missing;
      }
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const file = await resolveInside(this.folder, key, KEY_KIND);
    try {
      return (await fs.promises.stat(file)).isFile();
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<boolean> {
    const file = await resolveInside(this.folder, key, KEY_KIND);
    try {
      await fs.promises.unlink(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async list(prefix = ''): Promise<string[]> {
    if (typeof prefix !== 'string') throw new TypeError('storage.list expects a string prefix.');
    const keys: string[] = [];
    await this.collect(this.folder, '', keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  /** Walks the folder without following symbolic links; temporary files are skipped. */
  private async collect(folder: string, relative: string, keys: string[]): Promise<void> {
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const key = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await this.collect(path.join(folder, entry.name), key, keys);
      else if (entry.isFile() && !entry.name.endsWith('.tmp')) keys.push(key);
    }
  }
}

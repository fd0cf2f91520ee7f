import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const TOKEN_FILE = 'token';

/**
 * The secret every request to the helper carries: made once, kept in the config folder readable
 * by the user alone (0600), and reused so a paired panel stays paired across restarts.
 */
export async function loadOrCreateToken(dir: string): Promise<string> {
  const file = path.join(dir, TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(token)) {
      await chmod(file, 0o600);
      return token;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('hex');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return token;
}

import { rm, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The pairing code of the helper running now, with its process id, so a helper started at login (whose output
 * nobody sees) can be paired: `mend service pairing-code` reads it. Readable by the user alone, like the token
 * beside it, which already grants more than the code does.
 */
export const PAIRING_CODE_FILE = 'pairing-code';

export async function writePairingCode(dir: string, code: string, pid = process.pid): Promise<void> {
  await writeFile(path.join(dir, PAIRING_CODE_FILE), `${code} ${pid}\n`, { mode: 0o600 });
}

export async function removePairingCode(dir: string): Promise<void> {
  await rm(path.join(dir, PAIRING_CODE_FILE), { force: true });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but is another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The code of the helper that wrote the file, while that helper still runs; undefined otherwise (none started, or it stopped without removing it). */
export async function readPairingCode(dir: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(dir, PAIRING_CODE_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const match = /^(\d{6}) (\d+)$/.exec(text.trim());
  return match && isRunning(Number(match[2])) ? match[1] : undefined;
}

import os from 'node:os';
import path from 'node:path';

/** The user's Mend folder: token, user models. MEND_CONFIG_DIR overrides (tests, portable installs). */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.MEND_CONFIG_DIR) return path.resolve(env.MEND_CONFIG_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Mend');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Mend');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'mend');
}

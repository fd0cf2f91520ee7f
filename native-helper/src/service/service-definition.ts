import path from 'node:path';

/** What the login service is made from: where the user's folders are, and the command that runs the helper. */
export interface ServiceContext {
  platform: NodeJS.Platform;
  home: string;
  /** For APPDATA / LOCALAPPDATA (Windows), XDG_CONFIG_HOME (Linux), and the settings passed on to the service. */
  env: NodeJS.ProcessEnv;
  /** The program and arguments that start `mend serve`. */
  command: string[];
  /** The user's id, for launchd's per-user domain (macOS). */
  uid: number;
}

/** One platform's login service: the file that starts the helper at login, and the commands that load and unload it. */
export interface ServiceDefinition {
  /** What the platform calls it, for messages. */
  kind: string;
  file: string;
  content: string;
  /** Folder made at install for the helper's log, where the platform does not keep it. */
  logDir?: string;
  /** Where the helper's output (its pairing code too) goes. */
  logs: string;
  /** Loads the service and starts the helper now. */
  start: string[][];
  /** Stops the helper and unloads the service; failing is fine (it may not be loaded). */
  stop: string[][];
  /** Run once the file is removed. */
  afterRemove: string[][];
  /** Said at uninstall when `stop` cannot stop a running helper. */
  stopNote?: string;
}

export const SERVICE_NAME = 'mend.service';
export const LAUNCH_AGENT_LABEL = 'app.mend.helper';
export const STARTUP_ENTRY = 'Mend helper.vbs';

/** Settings Mend reads from its environment that the service must see as `install` saw them: a login service starts with almost none. */
const PASSED_ON = ['MEND_CONFIG_DIR', 'MEND_PROVIDER', 'MEND_MODEL_CACHE', 'MEND_SOURCES_CACHE', 'npm_config_registry', 'NODE_EXTRA_CA_CERTS'];

function passedOn(env: NodeJS.ProcessEnv): [string, string][] {
  return PASSED_ON.flatMap((key) => (env[key] ? [[key, env[key]] as [string, string]] : []));
}

/** One systemd word, quoted: `\` and `"` escaped, `%` (specifiers) and `$` (variables) doubled. */
function systemdQuote(word: string): string {
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function systemdUnit(context: ServiceContext): ServiceDefinition {
  const configHome = context.env.XDG_CONFIG_HOME ?? path.posix.join(context.home, '.config');
  const systemctl = (...args: string[]) => ['systemctl', '--user', ...args];
  const environment = passedOn(context.env).map(([key, value]) => `Environment=${systemdQuote(`${key}=${value}`)}\n`);
  return {
    kind: 'systemd user unit',
    file: path.posix.join(configHome, 'systemd', 'user', SERVICE_NAME),
    content: [
      '[Unit]\n',
      'Description=Mend helper for the Photoshop panel (written by `mend service install`)\n',
      '\n[Service]\n',
      `ExecStart=${context.command.map(systemdQuote).join(' ')}\n`,
      ...environment,
      'Restart=on-failure\n',
      'RestartSec=5\n',
      '\n[Install]\n',
      'WantedBy=default.target\n',
    ].join(''),
    logs: `journalctl --user -u ${SERVICE_NAME}`,
    start: [systemctl('daemon-reload'), systemctl('enable', '--now', SERVICE_NAME)],
    stop: [systemctl('disable', '--now', SERVICE_NAME)],
    afterRemove: [systemctl('daemon-reload')],
  };
}

function launchAgent(context: ServiceContext): ServiceDefinition {
  const logDir = path.posix.join(context.home, 'Library', 'Logs', 'Mend');
  const log = path.posix.join(logDir, 'helper.log');
  const string = (value: string) => `<string>${xml(value)}</string>`;
  const environment = passedOn(context.env);
  const file = path.posix.join(context.home, 'Library', 'LaunchAgents', `${LAUNCH_AGENT_LABEL}.plist`);
  return {
    kind: 'LaunchAgent',
    file,
    content: [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      '<!-- The Mend helper for the Photoshop panel, written by `mend service install`. -->',
      '<plist version="1.0">',
      '<dict>',
      `  <key>Label</key>${string(LAUNCH_AGENT_LABEL)}`,
      `  <key>ProgramArguments</key><array>${context.command.map(string).join('')}</array>`,
      '  <key>RunAtLoad</key><true/>',
      // Started again when it fails, not when it was stopped on purpose.
      '  <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>',
      `  <key>StandardOutPath</key>${string(log)}`,
      `  <key>StandardErrorPath</key>${string(log)}`,
      ...(environment.length ? [`  <key>EnvironmentVariables</key><dict>${environment.map(([k, v]) => `<key>${xml(k)}</key>${string(v)}`).join('')}</dict>`] : []),
      '</dict>',
      '</plist>',
      '',
    ].join('\n'),
    logDir,
    logs: log,
    start: [['launchctl', 'bootstrap', `gui/${context.uid}`, file]],
    stop: [['launchctl', 'bootout', `gui/${context.uid}/${LAUNCH_AGENT_LABEL}`]],
    afterRemove: [],
  };
}

/** A script in the Startup folder (no administrator rights needed, unlike a logon task) that starts the helper without a console window. */
function startupEntry(context: ServiceContext): ServiceDefinition {
  const win = path.win32;
  const appData = context.env.APPDATA ?? win.join(context.home, 'AppData', 'Roaming');
  const logDir = win.join(context.env.LOCALAPPDATA ?? win.join(context.home, 'AppData', 'Local'), 'Mend');
  const log = win.join(logDir, 'helper.log');
  const file = win.join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup', STARTUP_ENTRY);
  // cmd /c "<line>" keeps the line's own quotes; VBScript doubles each quote inside its string.
  const line = `${context.command.map((word) => `"${word}"`).join(' ')} >> "${log}" 2>&1`;
  const vbs = (text: string) => text.replace(/"/g, '""');
  const environment = passedOn(context.env).map(([key, value]) => `env("${vbs(key)}") = "${vbs(value)}"\r\n`);
  return {
    kind: 'Startup folder entry',
    file: win.join(appData, 'Microsoft', 'Windows', 'Start Menu', 'Programs', 'Startup', STARTUP_ENTRY),
    content: [
      "' The Mend helper for the Photoshop panel, written by `mend service install`: started at login, without a window.\r\n",
      'Set shell = CreateObject("WScript.Shell")\r\n',
      ...(environment.length ? ['Set env = shell.Environment("Process")\r\n', ...environment] : []),
      `shell.Run "cmd /c ""${vbs(line)}""", 0, False\r\n`,
    ].join(''),
    logDir,
    logs: log,
    start: [['wscript.exe', file]],
    stop: [],
    afterRemove: [],
    stopNote: 'A helper started from it goes on until you log out; stop it now in Task Manager (node.exe) if you want.',
  };
}

/** The login service of `context.platform`: a systemd user unit on Linux, a LaunchAgent on macOS, a Startup folder entry on Windows. */
export function serviceDefinition(context: ServiceContext): ServiceDefinition {
  if (context.platform === 'darwin') return launchAgent(context);
  if (context.platform === 'win32') return startupEntry(context);
  return systemdUnit(context);
}

import { serviceDefinition, type ServiceContext } from '../../../native-helper/src/service/service-definition';

/** A command with the characters each format must quote: a space, a quote, a percent sign and a dollar. */
const context = (platform: NodeJS.Platform, home: string, env: NodeJS.ProcessEnv = {}): ServiceContext => ({
  platform,
  home,
  env,
  command: platform === 'win32' ? ['C:\\Mend 1.0\\mend.cmd', 'serve'] : [`${home}/Mend "1.0" 100%$x/mend`, 'serve'],
  uid: 501,
});

describe('the login service of each platform', () => {
  it('Linux: a systemd user unit in XDG_CONFIG_HOME (else ~/.config) that runs the helper, quoted for systemd, with Mend settings passed on', () => {
    const unit = serviceDefinition(context('linux', '/home/ann', { npm_config_registry: 'https://npm.example/', PATH: '/usr/bin', MEND_PROVIDER: 'cpu' }));
    expect(unit.file).toBe('/home/ann/.config/systemd/user/mend.service');
    expect(unit.content).toContain('ExecStart="/home/ann/Mend \\"1.0\\" 100%%$$x/mend" "serve"\n');
    expect(unit.content).toContain('Environment="MEND_PROVIDER=cpu"\n');
    expect(unit.content).toContain('Environment="npm_config_registry=https://npm.example/"\n');
    expect(unit.content).not.toContain('PATH');
    expect(unit.content).toMatch(/\[Install\]\nWantedBy=default\.target\n$/);
    expect(unit.start).toEqual([
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', 'mend.service'],
    ]);
    expect(unit.stop).toEqual([['systemctl', '--user', 'disable', '--now', 'mend.service']]);
    expect(serviceDefinition(context('linux', '/home/ann', { XDG_CONFIG_HOME: '/cfg' })).file).toBe('/cfg/systemd/user/mend.service');
  });

  it('macOS: a LaunchAgent started at load and after failures, logging to ~/Library/Logs/Mend, loaded into the gui domain', () => {
    const agent = serviceDefinition(context('darwin', '/Users/ann', { NODE_EXTRA_CA_CERTS: '/certs/a&b.pem' }));
    expect(agent.file).toBe('/Users/ann/Library/LaunchAgents/app.mend.helper.plist');
    expect(agent.content).toContain('<key>ProgramArguments</key><array><string>/Users/ann/Mend &quot;1.0&quot; 100%$x/mend</string><string>serve</string></array>');
    expect(agent.content).toContain('<key>RunAtLoad</key><true/>');
    expect(agent.content).toContain('<key>StandardOutPath</key><string>/Users/ann/Library/Logs/Mend/helper.log</string>');
    expect(agent.content).toContain('<key>EnvironmentVariables</key><dict><key>NODE_EXTRA_CA_CERTS</key><string>/certs/a&amp;b.pem</string></dict>');
    expect(agent.logDir).toBe('/Users/ann/Library/Logs/Mend');
    expect(agent.start).toEqual([['launchctl', 'bootstrap', 'gui/501', agent.file]]);
    expect(agent.stop).toEqual([['launchctl', 'bootout', 'gui/501/app.mend.helper']]);
  });

  it('Windows: a script in the Startup folder that runs the helper without a window, its output into %LOCALAPPDATA%\\Mend', () => {
    const entry = serviceDefinition(context('win32', 'C:\\Users\\ann', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming', LOCALAPPDATA: 'D:\\Local' }));
    expect(entry.file).toBe('C:\\Users\\ann\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\Mend helper.vbs');
    // cmd /c ""C:\Mend 1.0\mend.cmd" "serve" >> "D:\Local\Mend\helper.log" 2>&1", each quote doubled inside the VBScript string.
    expect(entry.content).toContain('shell.Run "cmd /c """"C:\\Mend 1.0\\mend.cmd"" ""serve"" >> ""D:\\Local\\Mend\\helper.log"" 2>&1""", 0, False\r\n');
    expect(entry.start).toEqual([['wscript.exe', entry.file]]);
    expect(entry.stop).toEqual([]);
    expect(entry.stopNote).toMatch(/Task Manager/);
  });
});

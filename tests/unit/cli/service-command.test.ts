import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../native-helper/src/cli/main';
import { writePairingCode } from '../../../native-helper/src/config/pairing-code';
import { fakeApp, recordingIo } from './fake-app';

/** `mend service` in a scratch HOME with the system commands recorded, never run: no real service is touched. */
describe('mend service', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'mend-service-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function mend(argv: string[], failing?: string) {
    const io = recordingIo(fakeApp(), { HOME: home, MEND_CONFIG_DIR: path.join(home, 'config') });
    const commands: string[] = [];
    io.runCommand = async (command) => {
      commands.push(command.join(' '));
      if (failing && command.join(' ').includes(failing)) throw new Error('Failed to connect to bus: No medium found');
    };
    const code = await runCli(argv, io);
    return { code, stdout: io.out.join(''), stderr: io.err.join(''), commands };
  }

  const linux = process.platform === 'linux' ? it : it.skip;
  const unit = () => path.join(home, '.config', 'systemd', 'user', 'mend.service');

  linux('install writes the user unit that runs this helper, then reloads systemd and enables it now; uninstall undoes both', async () => {
    const installed = await mend(['service', 'install']);
    expect(installed.code).toBe(0);
    expect(readFileSync(unit(), 'utf8')).toContain(`ExecStart="${process.execPath}" "${path.resolve('native-helper', 'bin', 'mend.js')}" "serve"\n`);
    expect(installed.commands).toEqual(['systemctl --user disable --now mend.service', 'systemctl --user daemon-reload', 'systemctl --user enable --now mend.service']);
    expect(installed.stdout).toMatch(/runs now and at every login.*mend service pairing-code/);

    const removed = await mend(['service', 'uninstall', '--json']);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.stdout)).toEqual({ kind: 'systemd user unit', file: unit(), stopped: true });
    expect(existsSync(unit())).toBe(false);
    expect(removed.commands).toEqual(['systemctl --user disable --now mend.service', 'systemctl --user daemon-reload']);
  });

  linux('install --no-start only writes the file and says how to start it; a failing systemctl is reported with the file kept', async () => {
    const quiet = await mend(['service', 'install', '--no-start']);
    expect(quiet.code).toBe(0);
    expect(quiet.commands).toEqual([]);
    expect(existsSync(unit())).toBe(true);
    expect(quiet.stdout).toContain('to start it now: systemctl --user daemon-reload && systemctl --user enable --now mend.service');

    const failed = await mend(['service', 'install'], 'enable');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`wrote ${unit()}, but \`systemctl --user enable --now mend.service\` failed: Failed to connect to bus`);
  });

  it('pairing-code prints the code of the helper running now, and says so when none runs', async () => {
    const none = await mend(['service', 'pairing-code']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no helper is running/);
    const config = path.join(home, 'config');
    mkdirSync(config);
    await writePairingCode(config, '042137');
    expect(await mend(['service', 'pairing-code'])).toMatchObject({ code: 0, stdout: '042137\n' });
    // A helper that stopped without removing its file: its process is gone.
    await writePairingCode(config, '042137', 2 ** 22 + 12345);
    expect((await mend(['service', 'pairing-code'])).code).toBe(1);
  });
});

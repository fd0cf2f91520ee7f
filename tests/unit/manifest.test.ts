import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PORT } from '../../native-helper/src/protocol';

describe('plugin manifest', () => {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'manifest.json'), 'utf8'));

  it('is a UXP v5 Photoshop panel needing Photoshop 25+', () => {
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: 'PS', minVersion: '25.0.0' });
    expect(manifest.entrypoints.map((e: { type: string }) => e.type)).toEqual(['panel']);
  });

  it('may reach only the helper on loopback, by IP, at its port', () => {
    expect(manifest.requiredPermissions.network.domains).toEqual([`http://127.0.0.1:${DEFAULT_PORT}`, `ws://127.0.0.1:${DEFAULT_PORT}`]);
    expect(JSON.stringify(manifest)).not.toMatch(/"all"|localhost/);
  });
});

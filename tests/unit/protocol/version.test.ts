import { compareAppVersions, helperIdentitySchema, infoSchema, PROTOCOL_VERSION, versionVerdict } from '../../../native-helper/src/protocol';

describe('the version handshake', () => {
  it('orders app versions numerically, a pre-release before its release', () => {
    expect(compareAppVersions('0.10.0', '0.9.9')).toBe(1);
    expect(compareAppVersions('1.2.3', '1.2.3')).toBe(0);
    expect(compareAppVersions('1.2', '1.2.0')).toBe(0);
    expect(compareAppVersions('1.2.3-rc.1', '1.2.3')).toBe(-1);
    expect(compareAppVersions('1.2.3', '1.2.3-rc.1')).toBe(1);
    expect(compareAppVersions('v2.0.0', '1.9.0')).toBe(1);
  });

  it('matches equal versions and protocols', () => {
    expect(versionVerdict({ version: '0.1.0', api: 1 }, { version: '0.1.0', api: 1 })).toEqual({ kind: 'match' });
  });

  it('with one protocol but other app versions, works and names the older side to update, with the newer version', () => {
    const olderHelper = versionVerdict({ version: '0.3.0', api: 1 }, { version: '0.2.1', api: 1 });
    expect(olderHelper).toMatchObject({ kind: 'versions-differ', update: 'helper' });
    expect(olderHelper.kind !== 'match' && olderHelper.message).toMatch(
      /panel is version 0\.3\.0 and the helper version 0\.2\.1; they work together.*Update the Mend helper: download the Mend helper 0\.3\.0/,
    );
    const olderPanel = versionVerdict({ version: '0.2.1', api: 1 }, { version: '0.3.0', api: 1 });
    expect(olderPanel).toMatchObject({ kind: 'versions-differ', update: 'panel' });
    expect(olderPanel.kind !== 'match' && olderPanel.message).toMatch(/Update the Mend panel: double-click the mend-0\.3\.0\.ccx/);
  });

  it('with other protocols, refuses and names the side of the older protocol, whatever the app versions say', () => {
    const newerHelper = versionVerdict({ version: '0.9.0', api: 1 }, { version: '0.5.0', api: 2 });
    expect(newerHelper).toMatchObject({ kind: 'incompatible', update: 'panel' });
    expect(newerHelper.kind !== 'match' && newerHelper.message).toMatch(
      /different protocols \(1 and 2\), so the panel cannot use this helper\. Update the Mend panel: .*mend-0\.5\.0\.ccx/,
    );
    expect(versionVerdict({ version: '1.0.0', api: 2 }, { version: '0.9.0', api: 1 })).toMatchObject({ kind: 'incompatible', update: 'helper' });
  });

  it('reads the identity of a helper of another protocol, whose full info this panel would refuse', () => {
    const future = { name: 'mend', version: '2.0.0', api: PROTOCOL_VERSION + 1, somethingNew: true };
    expect(helperIdentitySchema.parse(future)).toEqual({ name: 'mend', version: '2.0.0', api: PROTOCOL_VERSION + 1 });
    expect(infoSchema.safeParse(future).success).toBe(false);
  });
});

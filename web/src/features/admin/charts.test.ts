import { describe, expect, it } from 'vitest';
import { chartsOf, compareVersions } from './charts';

describe('chart browser', () => {
  it('orders versions as semantic versions', () => {
    const sorted = ['1.10.0', '1.2.0', '1.2.0-rc.1', 'v2.0.0', '0.9'].sort(compareVersions);
    expect(sorted).toEqual(['0.9', '1.2.0-rc.1', '1.2.0', '1.10.0', 'v2.0.0']);
  });

  it('lists matching charts by name, newest version first', () => {
    const list = {
      charts: {
        web: [{ version: '1.0.0', appVersion: '1', description: '' }, { version: '1.10.0', appVersion: '2', description: '' }],
        api: [{ version: '0.1.0', appVersion: '', description: 'the api' }],
        Worker: [],
      },
    };
    expect(chartsOf(list, '').map((c) => c.name)).toEqual(['api', 'web', 'Worker']);
    expect(chartsOf(list, 'WE').map((c) => c.name)).toEqual(['web']);
    expect(chartsOf(list, 'web')[0]!.versions.map((v) => v.version)).toEqual(['1.10.0', '1.0.0']);
    expect(chartsOf(undefined, '')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { importError, previewImport } from './preview';
import { translator } from '../../shared/i18n';
import { filterSort, type Row } from './sort';
import type { Project } from '../../shared/api/models';

describe('previewImport', () => {
  it("reads this API's export", () => {
    const r = previewImport(
      JSON.stringify({
        exportMetadata: { format: 'oneko/v1' },
        name: 'shop',
        imageName: 'team/shop',
        defaultConfigurationTemplates: [{ name: 'web', chartName: 'nginx', chartVersion: '1.2.3' }],
        templateVariables: [{ name: 'SIZE' }],
        urlTemplates: ['https://{{VERSION_NAME}}.shop'],
      }),
    );
    expect(r).toMatchObject({
      preview: { format: 'oneko', name: 'shop', imageName: 'team/shop', templates: [{ name: 'web', chart: 'nginx 1.2.3' }], variables: ['SIZE'], urlTemplates: ['https://{{VERSION_NAME}}.shop'] },
    });
  });
  it("reads O-Neko's export (no exportMetadata)", () => {
    expect(previewImport('{"name":"legacy","imageName":"a/b"}')).toMatchObject({ preview: { format: 'o-neko', templates: [], variables: [] } });
  });
  it("labels O-Neko's export as O-Neko's although it carries exportMetadata (version, exportedAt, no format)", () => {
    const r = previewImport(
      JSON.stringify({
        name: 'legacy',
        imageName: 'team/legacy',
        urlTemplates: ['legacy-{{VERSION_NAME}}.example.com', 'http://plain.example'],
        defaultConfigurationTemplates: [{ id: null, name: 'web', chartName: 'stable/nginx', chartVersion: null }],
        templateVariables: [],
        exportMetadata: { version: 0, exportedAt: '2024-05-01T10:00:00Z' },
      }),
    );
    expect(r).toMatchObject({ preview: { format: 'o-neko', templates: [{ name: 'web', chart: 'stable/nginx' }], urlTemplates: ['https://legacy-{{VERSION_NAME}}.example.com', 'http://plain.example'] } });
  });
  it('refuses what the server refuses: an unknown own format, an O-Neko export version other than 0', () => {
    expect(previewImport('{"name":"x","imageName":"a/b","exportMetadata":{"format":"oneko/v9"}}')).toEqual({ error: 'unknownFormat', format: 'oneko/v9' });
    expect(previewImport('{"name":"x","imageName":"a/b","exportMetadata":{"version":1}}')).toEqual({ error: 'unknownVersion', version: '1' });
  });
  it('says in words why a file is refused', () => {
    const t = translator('en');
    expect(importError({ error: 'unknownFormat', format: 'oneko/v9' }, t)).toContain('"oneko/v9"');
    expect(importError({ error: 'unknownVersion', version: '1' }, t)).toContain('version 1');
    expect(importError({ error: 'notProject' }, t)).toBe(t('import.notProject'));
  });
  it('says when the file is not JSON or not a project', () => {
    expect(previewImport('{')).toMatchObject({ error: 'invalid' });
    expect(previewImport('[1]')).toEqual({ error: 'notProject' });
    expect(previewImport('{"title":"x"}')).toEqual({ error: 'notProject' });
  });
});

describe('filterSort', () => {
  const row = (name: string, status: Project['status'], imageName: string, deployed: number, versionCount: number): Row => ({
    project: { id: name, name, status, imageName, versionCount } as Project,
    deployed,
  });
  const rows = [row('b', 'Ok', 'z/img', 2, 40), row('a', 'Error', 'y/img', 0, 3), row('c', 'Ok', 'x/other', 5, 12)];
  it.each([
    ['name', false, ['a', 'b', 'c']],
    ['name', true, ['c', 'b', 'a']],
    ['status', false, ['a', 'b', 'c']],
    ['image', false, ['c', 'a', 'b']],
    ['deployed', true, ['c', 'b', 'a']],
    ['versions', false, ['a', 'c', 'b']],
    ['versions', true, ['b', 'c', 'a']],
  ] as const)('sorts by %s (desc %s)', (key, desc, want) => {
    expect(filterSort(rows, '', key, desc).map((r) => r.project.name)).toEqual(want);
  });
  it('filters by name or image, case-insensitively', () => {
    expect(filterSort(rows, 'IMG', 'name', false).map((r) => r.project.name)).toEqual(['a', 'b']);
    expect(filterSort(rows, 'c', 'name', false).map((r) => r.project.name)).toEqual(['c']);
  });
});

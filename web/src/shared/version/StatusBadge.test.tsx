// The outdated marker says what changed since the deploy.
import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderWithProviders } from '../../test/render';
import type { Version } from '../api/models';
import { VersionStatus } from './StatusBadge';

const base = {
  id: 'v1',
  projectId: 'p1',
  name: '1.1.0',
  desiredState: 'Deployed',
  templateVariables: {},
  urls: [],
  deployment: { status: 'Running', readyPods: 1, desiredPods: 1, releases: [] },
} as unknown as Version;

describe('VersionStatus outdated marker', () => {
  it('names the changed variable, template and image digest', () => {
    const v = {
      ...base,
      outdated: true,
      outdatedReasons: [{ kind: 'variable', name: 'REPLICAS' }, { kind: 'template', name: 'web' }, { kind: 'image' }],
    } as Version;
    renderWithProviders(<VersionStatus v={v} />);
    const badge = screen.getByText('Outdated').closest('[data-outdated-reasons]');
    expect(badge?.getAttribute('data-outdated-reasons')).toBe('variable REPLICAS, template web, image digest');
    expect(badge?.getAttribute('aria-label')).toBe('Outdated: variable REPLICAS, template web, image digest');
  });

  it('falls back to the general reason when the server names none', () => {
    renderWithProviders(<VersionStatus v={{ ...base, outdated: true } as Version} />);
    const badge = screen.getByText('Outdated').closest('.oneko-badge');
    expect(badge?.getAttribute('aria-label')).toBe('Outdated');
    expect(badge?.hasAttribute('data-outdated-reasons')).toBe(false);
  });

  it('shows no marker on a current version', () => {
    renderWithProviders(<VersionStatus v={{ ...base, outdated: false } as Version} />);
    expect(screen.queryByText('Outdated')).toBeNull();
  });
});

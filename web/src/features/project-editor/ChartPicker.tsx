// The chart of a configuration template: the Helm registry, the chart (picked from that
// registry's chart list, or typed when the list is unavailable) and its version ("latest" or
// one the list offers). The project editor's templates and the version editor's new templates
// both pick charts with it.
import '@mantine/core/styles/SimpleGrid.css';
import { Loader, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { problemMessage } from '../../shared/api/problem';
import { useCharts } from './api';
import { useEditorT } from './messages';

export interface Chart {
  helmRegistryId: string;
  chartName: string;
  chartVersion: string;
}

export interface ChartPickerProps {
  value: Chart;
  onChange: (patch: Partial<Chart>) => void;
  helmRegistries: { id: string; name?: string }[];
  /** errors are the messages to show on each field, if any. */
  errors?: Partial<Record<keyof Chart, string | undefined>>;
}

export function ChartPicker({ value: x, onChange, helmRegistries, errors = {} }: ChartPickerProps) {
  const t = useEditorT();
  const charts = useCharts(x.helmRegistryId);
  const chartNames = useMemo(() => Object.keys(charts.data?.charts ?? {}).sort(), [charts.data]);
  const versions = charts.data?.charts?.[x.chartName] ?? [];
  const chartOptions = chartNames.includes(x.chartName) || !x.chartName ? chartNames : [x.chartName, ...chartNames];
  const versionOptions = [{ value: '', label: t('editor.templates.latest') }, ...versions.map((v) => ({ value: v.version, label: v.appVersion ? `${v.version} (app ${v.appVersion})` : v.version }))];
  if (x.chartVersion && !versions.some((v) => v.version === x.chartVersion)) versionOptions.push({ value: x.chartVersion, label: x.chartVersion });

  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
      <Select
        label={t('editor.templates.helmRegistry')}
        data={helmRegistries.map((r) => ({ value: r.id, label: r.name ?? r.id }))}
        value={x.helmRegistryId || null}
        onChange={(v) => onChange({ helmRegistryId: v ?? '', chartName: '', chartVersion: '' })}
        error={errors.helmRegistryId}
        required
        allowDeselect={false}
      />
      {charts.isError ? (
        <TextInput
          label={t('editor.templates.chart')}
          description={t('editor.templates.chartsUnavailable', { error: problemMessage(charts.error) })}
          value={x.chartName}
          onChange={(e) => onChange({ chartName: e.currentTarget.value })}
          error={errors.chartName}
          required
        />
      ) : (
        <Select
          label={t('editor.templates.chart')}
          description={x.helmRegistryId ? undefined : t('editor.templates.pickRegistry')}
          data={chartOptions}
          value={x.chartName || null}
          onChange={(v) => onChange({ chartName: v ?? '', chartVersion: '' })}
          error={errors.chartName}
          searchable
          required
          disabled={!x.helmRegistryId}
          rightSection={charts.isFetching ? <Loader size={14} aria-label={t('app.loading')} /> : undefined}
          nothingFoundMessage={t('editor.templates.noCharts')}
        />
      )}
      {charts.isError ? (
        <TextInput
          label={t('editor.templates.chartVersion')}
          description={t('editor.templates.latestHint')}
          value={x.chartVersion}
          onChange={(e) => onChange({ chartVersion: e.currentTarget.value })}
          error={errors.chartVersion}
        />
      ) : (
        <Select
          label={t('editor.templates.chartVersion')}
          description={t('editor.templates.latestHint')}
          data={versionOptions}
          value={x.chartVersion}
          onChange={(v) => onChange({ chartVersion: v ?? '' })}
          error={errors.chartVersion}
          disabled={!x.chartName}
          allowDeselect={false}
        />
      )}
    </SimpleGrid>
  );
}

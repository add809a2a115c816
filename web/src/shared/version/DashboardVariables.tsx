// The project's dashboard select variables of one version: a select per variable, saved at
// once when changed (a VIEWER may set these and nothing else).
import { NativeSelect } from '@mantine/core';
import type { Project, TemplateVariable, Version } from '../api/models';
import { useCan } from '../auth/session';
import { useT } from '../i18n';
import { notifyFailure, notifySuccess } from '../ui/notify';
import { useSetVariables } from './api';
import classes from './version.module.css';

/** A dashboard select variable: a select (useValues) shown on the dashboard, with choices. */
export interface DashboardVariable {
  name: string;
  label: string;
  values: string[];
  defaultValue: string;
}

export function dashboardVariables(p: Pick<Project, 'templateVariables'> | undefined): DashboardVariable[] {
  return (p?.templateVariables ?? [])
    .filter((tv: TemplateVariable) => tv.useValues && tv.showOnDashboard && tv.name && (tv.values?.length ?? 0) > 0)
    .map((tv) => ({ name: tv.name ?? '', label: tv.label || tv.name || '', values: tv.values ?? [], defaultValue: tv.defaultValue ?? '' }));
}

export function DashboardVariables({ v, project }: { v: Version; project: Project | undefined }) {
  const vars = dashboardVariables(project);
  // Most projects have none: their rows then set up no mutation at all.
  return vars.length === 0 ? null : <VariableSelects v={v} vars={vars} />;
}

function VariableSelects({ v, vars }: { v: Version; vars: DashboardVariable[] }) {
  const t = useT();
  const may = useCan('setDashboardVariable');
  const set = useSetVariables();
  return (
    <div className={classes.wrap}>
      {vars.map((tv) => {
        const label = tv.label;
        const value = v.templateVariables[tv.name] ?? tv.defaultValue;
        return (
          <NativeSelect
            key={tv.name}
            size="xs"
            w={130}
            label={label}
            aria-label={`${label} (${v.name})`}
            data={tv.values.includes(value) ? tv.values : ['', ...tv.values]}
            value={tv.values.includes(value) ? value : ''}
            disabled={!may || set.isPending}
            onChange={(e) => {
              const nv = e.currentTarget.value;
              if (!nv || nv === value) return;
              set.mutate(
                { v: { projectId: v.projectId, id: v.id, name: v.name }, values: { [tv.name]: nv } },
                {
                  onSuccess: () => notifySuccess(t('toast.variableSaved', { label, value: nv })),
                  onError: (e) => notifyFailure(t('toast.variableFailed', { label }), e),
                },
              );
            }}
          />
        );
      })}
    </div>
  );
}

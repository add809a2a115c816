import type { ImportDoc } from './api';
import type { Translate } from '../../shared/i18n';

/** ImportPreview is what an import will create, read from the file before it is sent. */
export interface ImportPreview {
  format: 'oneko' | 'o-neko';
  name: string;
  imageName: string;
  templates: { name: string; chart: string }[];
  variables: string[];
  urlTemplates: string[];
}

/** ownFormat is the export format this server writes (api/export.go) and reads. */
export const ownFormat = 'oneko/v1';

/** exportFormat tells the two exports apart as the server does: both carry exportMetadata,
 * but only this API's names a `format` ("oneko/v1"); O-Neko's has `{version: 0, exportedAt}`
 * (or no metadata at all). */
export function exportFormat(raw: Record<string, unknown>): { format: 'oneko'; name: string } | { format: 'o-neko'; version: unknown } {
  const meta = raw.exportMetadata;
  if (meta && typeof meta === 'object' && !Array.isArray(meta)) {
    const m = meta as Record<string, unknown>;
    if (typeof m.format === 'string' && m.format !== '') return { format: 'oneko', name: m.format };
    return { format: 'o-neko', version: m.version };
  }
  return { format: 'o-neko', version: undefined };
}

/** previewImport reads an export file (this API's or O-Neko's) and says what it will create;
 * an error names what is wrong with the file, as the server would (an unknown own format, an
 * O-Neko export version other than 0). O-Neko's URL templates without a scheme are shown with
 * the https:// the import gives them. */
export function previewImport(
  text: string,
): { doc: ImportDoc; preview: ImportPreview } | { error: 'invalid'; message: string } | { error: 'notProject' } | { error: 'unknownFormat'; format: string } | { error: 'unknownVersion'; version: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: 'invalid', message: e instanceof Error ? e.message : String(e) };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { error: 'notProject' };
  const doc = raw as ImportDoc & Record<string, unknown>;
  if (typeof doc.name !== 'string' || !doc.name || typeof doc.imageName !== 'string') return { error: 'notProject' };
  const kind = exportFormat(doc);
  if (kind.format === 'oneko' && kind.name !== ownFormat) return { error: 'unknownFormat', format: kind.name };
  if (kind.format === 'o-neko' && kind.version !== undefined && kind.version !== null && kind.version !== 0) return { error: 'unknownVersion', version: String(kind.version) };
  const urlTemplates = Array.isArray(doc.urlTemplates) ? doc.urlTemplates.map(String) : [];
  const templates = (Array.isArray(doc.defaultConfigurationTemplates) ? doc.defaultConfigurationTemplates : []).map((t) => ({
    name: String(t?.name ?? ''),
    chart: [t?.chartName, t?.chartVersion].filter(Boolean).join(' '),
  }));
  return {
    doc,
    preview: {
      format: kind.format,
      name: doc.name,
      imageName: doc.imageName,
      templates,
      variables: (Array.isArray(doc.templateVariables) ? doc.templateVariables : []).map((v) => String(v?.name ?? '')),
      urlTemplates: kind.format === 'o-neko' ? urlTemplates.map((u) => (u.includes('://') ? u : `https://${u}`)) : urlTemplates,
    },
  };
}

/** PreviewError is what previewImport refuses. */
export type PreviewError = Exclude<ReturnType<typeof previewImport>, { preview: ImportPreview }>;

/** importError is the message a user reads for a refused file. */
export function importError(e: PreviewError, t: Translate): string {
  switch (e.error) {
    case 'invalid':
      return t('import.invalid', { error: e.message });
    case 'unknownFormat':
      return t('import.unknownFormat', { format: e.format, known: ownFormat });
    case 'unknownVersion':
      return t('import.unknownVersion', { version: e.version });
    default:
      return t('import.notProject');
  }
}

import type { ImportDoc } from './api';

/** ImportPreview is what an import will create, read from the file before it is sent. */
export interface ImportPreview {
  format: 'oneko' | 'o-neko';
  name: string;
  imageName: string;
  templates: { name: string; chart: string }[];
  variables: string[];
  urlTemplates: string[];
}

/** previewImport reads an export file (this API's, with exportMetadata, or O-Neko's) and
 * says what it will create; an error names what is wrong with the file. */
export function previewImport(text: string): { doc: ImportDoc; preview: ImportPreview } | { error: 'invalid'; message: string } | { error: 'notProject' } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: 'invalid', message: e instanceof Error ? e.message : String(e) };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { error: 'notProject' };
  const doc = raw as ImportDoc & Record<string, unknown>;
  if (typeof doc.name !== 'string' || !doc.name || typeof doc.imageName !== 'string') return { error: 'notProject' };
  const templates = (Array.isArray(doc.defaultConfigurationTemplates) ? doc.defaultConfigurationTemplates : []).map((t) => ({
    name: String(t?.name ?? ''),
    chart: [t?.chartName, t?.chartVersion].filter(Boolean).join(' '),
  }));
  return {
    doc,
    preview: {
      format: doc.exportMetadata ? 'oneko' : 'o-neko',
      name: doc.name,
      imageName: doc.imageName,
      templates,
      variables: (Array.isArray(doc.templateVariables) ? doc.templateVariables : []).map((v) => String(v?.name ?? '')),
      urlTemplates: Array.isArray(doc.urlTemplates) ? doc.urlTemplates.map(String) : [],
    },
  };
}

import { useCallback } from 'react';
import { useEditorT } from './messages';
import type { ProblemText } from './draft';

/** useProblemText turns a problem of the draft into the text shown under its field. */
export function useProblemText() {
  const t = useEditorT();
  return useCallback((p: ProblemText | undefined): string | undefined => (p ? ('text' in p ? p.text : t(p.key, p.params)) : undefined), [t]);
}

/** mono sets an input's text (not its label or description) in the monospace font. */
export const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

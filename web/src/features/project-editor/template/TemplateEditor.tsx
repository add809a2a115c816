// The YAML editor of configuration templates: CodeMirror 6 with YAML highlighting, the
// template checks of lint.ts shown as CodeMirror diagnostics (unknown {{…}} variables,
// template syntax, YAML syntax) and completion of variable and function names inside
// {{…}}. This module is loaded lazily (its own chunk, see LazyTemplateEditor), so CodeMirror
// is not part of the dashboard's first load.
//
// Tab is left to move the focus (keyboard users can leave the editor); Enter indents.
import { useEffect, useRef } from 'react';
import { EditorState, StateEffect } from '@codemirror/state';
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  keymap,
  lineNumbers,
  MatchDecorator,
  placeholder as placeholderExt,
  ViewPlugin,
  type DecorationSet,
  type ViewUpdate,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { classHighlighter } from '@lezer/highlight';
import { completeAt, lintTemplate } from './lint';
import './TemplateEditor.css';

export interface TemplateEditorProps {
  value: string;
  onChange: (value: string) => void;
  /** The project's template variables (checked and completed besides the built-ins). */
  variables: { name: string; label?: string }[];
  /** The editor's accessible name. */
  label: string;
  /** The id of the element that lists the problems (aria-describedby). */
  describedBy?: string;
  placeholder?: string;
}

/** Says that the variables changed: what is unknown must be checked again. */
const variablesChanged = StateEffect.define<null>();

/** Marks every {{…}} tag, so that placeholders stand out from the YAML around them. */
const tagMarks = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    matcher = new MatchDecorator({ regexp: /\{\{[\s\S]*?\}\}/g, decoration: Decoration.mark({ class: 'cm-oneko-tag' }) });
    constructor(view: EditorView) {
      this.decorations = this.matcher.createDeco(view);
    }
    update(u: ViewUpdate) {
      this.decorations = this.matcher.updateDeco(u, this.decorations);
    }
  },
  { decorations: (v) => v.decorations },
);

export default function TemplateEditor({ value, onChange, variables, label, describedBy, placeholder }: TemplateEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const vars = useRef(variables);
  const change = useRef(onChange);
  change.current = onChange;

  useEffect(() => {
    const complete = (ctx: CompletionContext): CompletionResult | null => {
      const doc = ctx.state.doc.toString();
      const c = completeAt(doc, ctx.pos, vars.current);
      if (!c) return null;
      const prev = doc.slice(Math.max(0, ctx.pos - 1), ctx.pos);
      if (!ctx.explicit && c.from === ctx.pos && prev !== '{' && prev !== '.') return null;
      return {
        from: c.from,
        options: c.options.map((o) => ({ label: o.label, detail: o.detail, apply: o.apply, type: o.detail.startsWith('fn') ? 'function' : 'variable' })),
        validFor: /^\w*$/,
      };
    };
    const lint = (v: EditorView): Diagnostic[] => {
      const len = v.state.doc.length;
      return lintTemplate(v.state.doc.toString(), vars.current.map((x) => x.name)).map((p) => ({
        from: Math.min(p.from, len),
        to: Math.min(Math.max(p.to, p.from), len),
        severity: p.severity,
        message: p.message,
      }));
    };
    const v = new EditorView({
      parent: host.current as HTMLDivElement,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          indentOnInput(),
          highlightActiveLine(),
          yaml(),
          syntaxHighlighting(classHighlighter),
          tagMarks,
          lintGutter(),
          linter(lint, { delay: 250, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(variablesChanged))) }),
          autocompletion({ override: [complete] }),
          keymap.of([...completionKeymap, ...lintKeymap, ...historyKeymap, ...defaultKeymap]),
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label, ...(describedBy ? { 'aria-describedby': describedBy } : {}) }),
          ...(placeholder ? [placeholderExt(placeholder)] : []),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) change.current(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once; value, variables and callbacks reach it through refs below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value set from outside (upload, reload) replaces the document.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  // New or renamed variables change what is unknown: check again.
  const names = variables.map((x) => x.name).join('\n');
  useEffect(() => {
    vars.current = variables;
    view.current?.dispatch({ effects: variablesChanged.of(null) });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [names]);

  return <div ref={host} className="cm-oneko" data-testid="template-editor" />;
}

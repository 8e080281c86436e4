import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { SQLite, sql } from '@codemirror/lang-sql';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState, Prec } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view';

/** A handle on a mounted SQL editor. */
export interface SqlEditorHandle {
  setValue(value: string): void;
  destroy(): void;
}

/**
 * Mounts a CodeMirror 6 SQL editor (SQLite dialect highlighting). Ctrl/Cmd+Enter runs
 * `onRun` instead of CodeMirror's default "insert blank line".
 */
export function mountSqlEditor(
  parent: HTMLElement,
  options: {
    value: string;
    label: string;
    placeholder?: string;
    onChange: (value: string) => void;
    onRun?: () => void;
  },
): SqlEditorHandle {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.value,
      extensions: [
        Prec.highest(
          keymap.of([
            {
              key: 'Mod-Enter',
              run: () => {
                options.onRun?.();
                return true;
              },
            },
          ]),
        ),
        lineNumbers(),
        history(),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        sql({ dialect: SQLite }),
        syntaxHighlighting(defaultHighlightStyle),
        EditorView.lineWrapping,
        placeholder(options.placeholder ?? ''),
        EditorView.contentAttributes.of({ 'aria-label': options.label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    setValue(value) {
      if (value === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    destroy: () => view.destroy(),
  };
}

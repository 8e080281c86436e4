import { defaultKeymap, history, historyKeymap, isolateHistory } from '@codemirror/commands';
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
        // tabindex: an editable element is focusable anyway, but saying so lets checkers
        // (axe's scrollable-region-focusable) see that a long query can be scrolled by keyboard.
        EditorView.contentAttributes.of({ 'aria-label': options.label, tabindex: '0' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    setValue(value) {
      const current = view.state.doc.toString();
      if (value === current) return;
      // Only the part that differs, so the cursor stays where it was; a change made from
      // outside (a suggested name put in, a session restored) is one undo step of its own.
      let start = 0;
      while (start < current.length && current[start] === value[start]) start++;
      let end = 0;
      const room = Math.min(current.length, value.length) - start;
      while (end < room && current.at(-1 - end) === value.at(-1 - end)) end++;
      view.dispatch({
        changes: {
          from: start,
          to: current.length - end,
          insert: value.slice(start, value.length - end),
        },
        annotations: isolateHistory.of('full'),
      });
    },
    destroy: () => view.destroy(),
  };
}

/**
 * Asks for the reason of an action the hub keeps on record (ending or withdrawing an area risk entry, revoking a
 * province's key): a native modal `<dialog>` named by its heading, the focus in the reason field when it opens.
 * Escape or "Cancel" closes it and nothing is sent; an empty reason is refused at the field (aria-invalid, the
 * message tied to the field); a reason given closes it and hands the reason, trimmed, to the action.
 */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { TextField } from '../shared/ui.tsx';
import type { T } from './section.ts';

/** What the dialog asks for, and what it does with the answer. */
export interface ReasonRequest {
  /** The heading: what is about to be done, to what. */
  readonly title: string;
  /** The reason field's label. */
  readonly label: string;
  /** The button that does it. */
  readonly confirm: string;
  /** The longest reason the hub takes. */
  readonly maxLength: number;
  /** Called with the reason (trimmed, not empty) once the dialog has closed. */
  readonly onReason: (reason: string) => void;
}

export function ReasonDialog(props: {
  /** Prefix of the dialog's element ids (the heading, the field). */
  id: string;
  t: T;
  /** Open while there is a request. */
  request: ReasonRequest | null;
  /** The dialog closed (cancelled or answered): the owner clears its request. */
  onClose: () => void;
}) {
  const { id, t, request } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const field = `${id}-reason`;
  const focusField = () => {
    document.getElementById(field)?.focus();
  };

  useLayoutEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (request && !d.open) {
      d.showModal();
      focusField();
    } else if (!request && d.open) d.close();
  }, [request]);

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      // Escape, "Cancel" and a given reason all end here.
      onClose={() => {
        setReason('');
        setProblem(null);
        props.onClose();
      }}
    >
      {request && (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const given = reason.trim();
            if (given === '') {
              setProblem(t('reasonRequired'));
              focusField();
              return;
            }
            dialog.current?.close();
            request.onReason(given);
          }}
        >
          <h2 id={`${id}-title`}>{request.title}</h2>
          <TextField
            id={field}
            label={request.label}
            value={reason}
            maxLength={request.maxLength}
            autocomplete="off"
            required
            problems={problem === null ? [] : [problem]}
            onValue={(v) => {
              setReason(v);
              if (v.trim() !== '') setProblem(null);
            }}
          />
          <div class="row dialog-actions">
            <button
              class="secondary-button"
              type="button"
              onClick={() => {
                dialog.current?.close();
              }}
            >
              {t('cancel')}
            </button>
            <button class="primary" type="submit">
              {request.confirm}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

import { useState } from "react";
import { ApiError } from "../api/errors";

interface Props {
  /** What the first button says, e.g. "Delete this film". */
  label: string;
  /** The question asked before anything is deleted. */
  question: string;
  /** Deletes; resolves once the server has. */
  remove(): Promise<unknown>;
  onDeleted(): void;
}

/** Deleting cannot be undone: the first click asks, the second deletes. */
export function DeleteButton({ label, question, remove, onDeleted }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await remove();
      onDeleted();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };

  return (
    <div className="danger">
      {!asking && <button type="button" className="danger-button" onClick={() => setAsking(true)}>{label}</button>}
      {asking && (
        <div role="group" aria-label={label}>
          <p>{question} This cannot be undone.</p>
          <button type="button" className="danger-button" disabled={busy} onClick={confirm}>
            {busy ? "Deleting…" : "Yes, delete"}
          </button>{" "}
          <button type="button" disabled={busy} onClick={() => setAsking(false)}>Keep it</button>
        </div>
      )}
      {error && <p role="alert" className="alert">Nothing was deleted: {error}</p>}
    </div>
  );
}

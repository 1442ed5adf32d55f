/** The message under a field (the field points at it with aria-describedby). */
export function FieldError({ id, message }: { id: string; message?: string | null }) {
  return (
    <p id={id} className="field-error" aria-live="polite">
      {message ?? ""}
    </p>
  );
}

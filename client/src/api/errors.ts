/** API errors: `{"detail": "text"}`, or for 422 `{"detail": [{field, message}]}`. */

export interface FieldError {
  field: string;
  message: string;
}

export type FieldMessages = Record<string, string>;

function isFieldError(value: unknown): value is FieldError {
  return typeof value === "object" && value !== null
    && typeof (value as FieldError).field === "string"
    && typeof (value as FieldError).message === "string";
}

/** A 422 detail array as field -> message (several messages for one field joined with "; "). */
export function fieldMessages(detail: unknown): FieldMessages {
  const out: FieldMessages = {};
  if (!Array.isArray(detail)) return out;
  for (const item of detail) {
    if (!isFieldError(item)) continue;
    const field = item.field || "body";
    out[field] = out[field] ? `${out[field]}; ${item.message}` : item.message;
  }
  return out;
}

/** An API call that did not succeed: its HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: unknown;
  readonly fields: FieldMessages;

  constructor(status: number, detail: unknown) {
    super(describe(status, detail));
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
    this.fields = fieldMessages(detail);
  }

  /** Field messages for fields a form shows, and one text for everything else (or null). */
  split(known: readonly string[]): { fields: FieldMessages; other: string | null } {
    const fields: FieldMessages = {};
    const rest: string[] = [];
    for (const [field, message] of Object.entries(this.fields)) {
      if (known.includes(field)) fields[field] = message;
      else rest.push(field === "body" ? message : `${field}: ${message}`);
    }
    if (!Object.keys(this.fields).length) return { fields, other: this.message };
    return { fields, other: rest.length ? rest.join("; ") : null };
  }
}

function describe(status: number, detail: unknown): string {
  if (typeof detail === "string" && detail) return detail;
  if (Array.isArray(detail)) {
    const messages = Object.entries(fieldMessages(detail)).map(([f, m]) => `${f}: ${m}`);
    if (messages.length) return messages.join("; ");
  }
  if (status === 0) return "Cannot reach DreamReel. Check your connection and try again.";
  if (status === 401) return "Please sign in to continue.";
  if (status === 404) return "Not found.";
  if (status >= 500) return "Something went wrong on our side; please try again later.";
  return `The request failed (HTTP ${status}).`;
}

/** The `detail` of an error body, whatever its shape. */
export function detailOf(body: unknown): unknown {
  if (typeof body === "object" && body !== null && "detail" in body) {
    return (body as { detail: unknown }).detail;
  }
  return typeof body === "string" ? body : undefined;
}

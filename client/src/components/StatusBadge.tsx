import type { FilmStatus } from "../api/types";

const TEXT: Record<string, string> = {
  queued: "Queued", running: "Being made", done: "Ready", failed: "Failed",
};

export function StatusBadge({ status = "queued" }: { status?: FilmStatus | string }) {
  return <span className={`badge badge-${status}`}>{TEXT[status] ?? status}</span>;
}

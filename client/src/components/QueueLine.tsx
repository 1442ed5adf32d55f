import type { FilmQueue } from "../api/types";
import { useNow } from "../hooks/useNow";
import { describeQueue } from "../queueWords";

/** Where the film stands in the queue and when it should start and be ready, in one line of text
 *  (a polite live region: read out when the place or the minutes change). */
export function QueueLine({ queue }: { queue: FilmQueue }) {
  const now = useNow();
  return (
    <p role="status" aria-atomic="true" className="queue-line" data-testid="queue-line">
      {describeQueue(queue, now)}
    </p>
  );
}

/**
 * A film's place in the run queue and its estimated times, in words. `dreamreel status` says the
 * same in the same words (dreamreel_assets/queue_words.py): change both together.
 */
import type { FilmQueue } from "./api/types";

/** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 21st, ... */
export function ordinal(n: number): string {
  const suffix = n % 100 >= 10 && n % 100 <= 20 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}

/** Halves up (as the Python side rounds too). */
const round = (value: number) => Math.floor(value + 0.5);

/** How long until a moment, as an estimate: "in about 4 min", "in about 1 h 25 min", "soon". */
export function inAbout(seconds: number): string {
  if (!(seconds > 0)) return "soon";
  if (seconds < 60) return "in less than a minute";
  const minutes = round(seconds / 60);
  if (minutes < 60) return `in about ${minutes} min`;
  if (minutes < 600) {
    const rounded = round(minutes / 5) * 5; // to 5 minutes: it is an estimate
    const hours = Math.floor(rounded / 60);
    const rest = rounded % 60;
    return rest ? `in about ${hours} h ${rest} min` : `in about ${hours} h`;
  }
  return `in about ${round(minutes / 60)} h`;
}

/** What the estimate comes from. */
export function estimateSource(measuredFilms: number): string {
  if (measuredFilms <= 0) return "a first guess: no film of this kind has been timed here yet";
  return `estimated from ${measuredFilms} film${measuredFilms === 1 ? "" : "s"} made on this server`;
}

/** Where a waiting film is: "next in the queue", "2nd in the queue", ... */
export function inTheQueue(position: number): string {
  return `${position === 1 ? "next" : ordinal(position)} in the queue`;
}

/** "Being made", or where the film waits: "Waiting to start: next in the queue", "… 2nd in the queue". */
export function place(position: number): string {
  return position <= 0 ? "Being made" : `Waiting to start: ${inTheQueue(position)}`;
}

/** Whether the film waits for its run to start (its status may say `running` meanwhile). */
export function isWaiting(queue: FilmQueue | null | undefined): boolean {
  return !!queue && queue.position > 0;
}

function secondsUntil(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : (at - now) / 1000;
}

/**
 * One line: "Waiting to start: 2nd in the queue · starts in about 4 min, ready in about 12 min
 * (estimated from 5 films made on this server)", or "Being made · ready in about 6 min (…)".
 */
export function describeQueue(queue: FilmQueue, now: number | Date = Date.now()): string {
  const at = typeof now === "number" ? now : now.getTime();
  const times: string[] = [];
  const start = queue.position > 0 ? secondsUntil(queue.estimated_start, at) : null;
  if (start !== null) times.push(`starts ${inAbout(start)}`);
  const finish = secondsUntil(queue.estimated_finish, at);
  if (finish !== null) times.push(`ready ${inAbout(finish)}`);
  const line = place(queue.position);
  return times.length ? `${line} · ${times.join(", ")} (${estimateSource(queue.measured_films)})` : line;
}

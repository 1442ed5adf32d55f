import { describe, expect, it } from "vitest";
import type { FilmQueue } from "./api/types";
import { describeQueue, estimateSource, inAbout, isWaiting, ordinal, place } from "./queueWords";

const NOW = Date.parse("2025-01-01T10:00:00Z");
const at = (seconds: number | null) => (seconds === null ? null : new Date(NOW + seconds * 1000).toISOString());

function queue(position: number, start: number | null, finish: number | null, measured = 5): FilmQueue {
  return { position, estimated_start: at(start), estimated_finish: at(finish), measured_films: measured,
    updated_at: at(0)! };
}

describe("describeQueue", () => {
  it("says the place in the queue and when it should start and be ready, from measured films", () => {
    expect(describeQueue(queue(2, 240, 720), NOW)).toBe(
      "Waiting to start: 2nd in the queue · starts in about 4 min, ready in about 12 min"
      + " (estimated from 5 films made on this server)");
    expect(describeQueue(queue(1, 30, 500, 1), NOW)).toBe(
      "Waiting to start: next in the queue · starts in less than a minute, ready in about 8 min"
      + " (estimated from 1 film made on this server)");
  });

  it("says when the estimate is a first guess", () => {
    expect(describeQueue(queue(3, 5000, 9000, 0), NOW)).toBe(
      "Waiting to start: 3rd in the queue · starts in about 1 h 25 min, ready in about 2 h 30 min"
      + " (a first guess: no film of this kind has been timed here yet)");
  });

  it("says only when a film being made should be ready", () => {
    expect(describeQueue(queue(0, -100, 360), NOW)).toBe(
      "Being made · ready in about 6 min (estimated from 5 films made on this server)");
    expect(describeQueue(queue(0, -100, 360, 0), new Date(NOW))).toBe(
      "Being made · ready in about 6 min (a first guess: no film of this kind has been timed here yet)");
  });

  it("says soon once an estimated time has passed, and nothing of times it does not have", () => {
    expect(describeQueue(queue(2, -10, 60), NOW)).toBe(
      "Waiting to start: 2nd in the queue · starts soon, ready in about 1 min (estimated from 5 films made on this server)");
    expect(describeQueue(queue(0, -100, -5), NOW)).toBe("Being made · ready soon (estimated from 5 films made on this server)");
    expect(describeQueue(queue(0, -100, null), NOW)).toBe("Being made");
    expect(describeQueue(queue(12, null, null), NOW)).toBe("Waiting to start: 12th in the queue");
  });

  it("moves on with the clock", () => {
    const q = queue(2, 240, 720);
    expect(describeQueue(q, NOW + 120_000)).toBe(
      "Waiting to start: 2nd in the queue · starts in about 2 min, ready in about 10 min"
      + " (estimated from 5 films made on this server)");
  });
});

describe("the words", () => {
  it("ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal)).toEqual(
      ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]);
  });

  it("durations, rounded as an estimate", () => {
    expect([0, -3, 59, 60, 90, 3599, 3600, 5100, 40_000].map(inAbout)).toEqual([
      "soon", "soon", "in less than a minute", "in about 1 min", "in about 2 min", "in about 1 h", "in about 1 h",
      "in about 1 h 25 min", "in about 11 h"]);
  });

  it("places and sources", () => {
    expect([0, 1, 2].map(place)).toEqual(
      ["Being made", "Waiting to start: next in the queue", "Waiting to start: 2nd in the queue"]);
    expect(estimateSource(0)).toMatch(/^a first guess/);
    expect(estimateSource(2)).toBe("estimated from 2 films made on this server");
    expect([null, undefined, queue(0, 0, 10), queue(1, 0, 10)].map(isWaiting)).toEqual([false, false, false, true]);
  });
});

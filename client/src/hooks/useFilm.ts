import { useCallback, useEffect, useRef, useState } from "react";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";
import type { FilmDetail, Fix } from "../api/types";

export const POLL_MS = 1500;

/** Whether a fix is still waiting or being made (a fix without a status is queued). */
export function fixIsBusy(fix: Fix): boolean {
  const status = fix.status ?? "queued";
  return status === "queued" || status === "running";
}

/** Whether the film, or a fix of it, is still being made (and so worth asking about again). */
export function isBusy(film: FilmDetail): boolean {
  if (film.status === "queued" || film.status === "running") return true;
  return (film.fixes ?? []).some(fixIsBusy);
}

export interface FilmState {
  film: FilmDetail | null;
  /** Why the film could not be loaded (a load error after the first one keeps the last film). */
  error: ApiError | null;
  loading: boolean;
  /** Ask again now, and keep polling while the film or a fix is busy. */
  refresh(): void;
  /** Replace the film shown (e.g. with what a share or fix call answered). */
  update(change: (film: FilmDetail) => FilmDetail): void;
}

/**
 * GET /api/films/{id}, polled every `interval` ms while the film (or a fix) is queued or running;
 * polling stops once it is done or failed, and on a 4xx answer (a 5xx or a lost connection is
 * tried again).
 */
export function useFilm(id: string, interval: number = POLL_MS): FilmState {
  const [film, setFilm] = useState<FilmDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const filmRef = useRef<FilmDetail | null>(null);

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const poll = async () => {
      let next: FilmDetail | null = null;
      let retry = true;
      try {
        next = await call(api.GET("/api/films/{film_id}", { params: { path: { film_id: id } } }));
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, undefined);
        if (!live) return;
        setError(err);
        retry = err.status === 0 || err.status >= 500;
      }
      if (!live) return;
      if (next) {
        filmRef.current = next;
        setFilm(next);
        setError(null);
        retry = isBusy(next);
      }
      setLoading(false);
      if (retry) timer = setTimeout(poll, interval);
    };

    if (filmRef.current?.id !== id) {
      filmRef.current = null;
      setFilm(null);
      setLoading(true);
    }
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, interval, round]);

  const refresh = useCallback(() => setRound((r) => r + 1), []);
  const update = useCallback((change: (film: FilmDetail) => FilmDetail) => {
    setFilm((current) => {
      if (!current) return current;
      const next = change(current);
      filmRef.current = next;
      return next;
    });
  }, []);

  return { film, error, loading, refresh, update };
}

import { useEffect, useState, type ReactNode } from "react";
import { ApiError } from "../api/errors";

type Page<T> = { films: T[]; next_cursor?: string | null };

/** The pages after the first: a "Show older films" button while there are more. */
export function OlderFilms<T extends { id: string }>({ cursor, load, render }: {
  cursor: string | null | undefined;
  load: (cursor: string) => Promise<Page<T>>;
  render: (film: T) => ReactNode;
}) {
  const [films, setFilms] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(cursor ?? null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {  // the first page changed: start again after it
    setFilms([]);
    setNext(cursor ?? null);
  }, [cursor]);

  const more = async () => {
    if (!next) return;
    setLoading(true);
    setError(null);
    try {
      const page = await load(next);
      setFilms((shown) => [...shown, ...page.films.filter((film) => !shown.some((s) => s.id === film.id))]);
      setNext(page.next_cursor ?? null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "Older films could not be loaded");
    }
    setLoading(false);
  };

  return (
    <>
      {films.length > 0 && <ul className="film-grid">{films.map(render)}</ul>}
      {error && <p role="alert" className="alert">{error}</p>}
      {next && (
        <button type="button" className="more" onClick={more} disabled={loading}>
          {loading ? "Loading…" : "Show older films"}
        </button>
      )}
    </>
  );
}

import { Link } from "react-router";
import { apiUrl } from "../api/client";
import type { FilmQueue, FilmStatus, FilmUrls } from "../api/types";
import { filmTitle, idLabel } from "../labels";
import { inTheQueue, isWaiting } from "../queueWords";
import { StatusBadge } from "./StatusBadge";

interface CardFilm {
  id: string;
  title?: string | null;
  theme: string | null;
  genre: string | null;
  style: string | null;
  minutes: number | null;
  aspect: string | null;
  urls: FilmUrls;
  status?: FilmStatus;
  shared?: boolean;
  queue?: FilmQueue | null;
}

/** A film in a grid: its poster (or its state while it is made), its name, a link to its page. */
export function FilmCard({ film }: { film: CardFilm }) {
  const name = filmTitle(film);
  const making = film.status === "queued" || film.status === "running";
  const waiting = making && isWaiting(film.queue);
  return (
    <li className="film-card">
      <Link to={`/films/${encodeURIComponent(film.id)}`} className="film-card-link">
        <div className={`poster ${film.aspect === "9:16" ? "vertical" : ""}`}>
          {film.urls.poster
            ? <img src={apiUrl(film.urls.poster)} alt="" loading="lazy" />
            : <span className="poster-empty" aria-hidden="true">🎬</span>}
        </div>
        <span className="film-card-title">{name}</span>
      </Link>
      <p className="meta">
        {film.status && <StatusBadge status={waiting ? "queued" : film.status} />}{" "}
        {waiting && film.queue && <span className="queue-place">{capitalized(inTheQueue(film.queue.position))} · </span>}
        {[idLabel(film.genre), idLabel(film.style), film.minutes ? `${film.minutes} min` : ""]
          .filter(Boolean).join(" · ")}
        {film.shared && <span className="badge badge-shared">Shared</span>}
      </p>
    </li>
  );
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

import { useNavigate, useParams, Link } from "react-router";
import { api, call } from "../api/client";
import type { FilmDetail, Fix } from "../api/types";
import { DeleteButton } from "../components/DeleteButton";
import { FixForm } from "../components/FixForm";
import { FixList } from "../components/FixList";
import { Player } from "../components/Player";
import { ProgressView } from "../components/ProgressView";
import { QueueLine } from "../components/QueueLine";
import { SceneGrid } from "../components/SceneGrid";
import { ShareToggle } from "../components/ShareToggle";
import { StatusBadge } from "../components/StatusBadge";
import { Versions } from "../components/Versions";
import { fixIsBusy, useFilm } from "../hooks/useFilm";
import { usePageTitle } from "../hooks/usePageTitle";
import { filmTitle, formatDate, idLabel } from "../labels";
import { finishedFixes, versionedScenes } from "../media";
import { isWaiting } from "../queueWords";

export default function FilmPage({ pollMs }: { pollMs?: number }) {
  const { id = "" } = useParams();
  const { film, error, loading, refresh, update } = useFilm(id, pollMs);
  const navigate = useNavigate();
  usePageTitle(film ? filmTitle(film) : "Film");

  if (!film) {
    if (loading) return <p role="status">Loading the film…</p>;
    if (error?.status === 404) {
      return (
        <div role="alert" className="alert">
          <h1>Film not found</h1>
          <p>There is no such film, or its owner has not shared it. <Link to="/films">See my films</Link>.</p>
        </div>
      );
    }
    return (
      <div role="alert" className="alert">
        <p>The film could not be loaded: {error?.message}</p>
        <button type="button" onClick={refresh}>Try again</button>
      </div>
    );
  }

  const making = film.status === "queued" || film.status === "running";
  // Its status says `running` from the moment the server takes the film, also while its run waits.
  const waiting = film.status === "queued" || (making && isWaiting(film.queue));
  const fixes = film.fixes ?? [];
  const scenes = versionedScenes(film.scenes ?? [], finishedFixes(film));
  const addFix = (fix: Fix) => {
    update((f) => ({ ...f, fixes: [...(f.fixes ?? []).filter((x) => x.id !== fix.id), fix] }));
    refresh();
  };

  return (
    <article className="film" aria-labelledby="film-title">
      <header className="film-head">
        <h1 id="film-title">{filmTitle(film)}</h1>
        <p className="meta">
          <StatusBadge status={waiting ? "queued" : film.status} /> <Meta film={film} />
        </p>
        {film.title && film.theme && <p className="theme">{film.theme}</p>}
      </header>

      {error && <p role="status" className="notice">Lost touch with the server; trying again…</p>}

      {film.status === "failed" && (
        <div role="alert" className="alert">
          <h2>The film could not be made</h2>
          <p>{film.error || "Something went wrong while making it."}</p>
        </div>
      )}

      {film.urls.video && <Player film={film} />}

      {film.mine && film.status === "done" && (
        <ShareToggle
          filmId={film.id}
          shared={film.shared}
          onChange={(shared) => update((f) => ({ ...f, shared }))}
        />
      )}

      {making && (
        <section aria-labelledby="progress-title" className="progress">
          <h2 id="progress-title">{waiting ? "Waiting to start…" : "Making your film"}</h2>
          {film.queue && <QueueLine queue={film.queue} />}
          <ProgressView stages={film.progress} />
        </section>
      )}

      {scenes.length > 0 && (
        <section aria-labelledby="scenes-title">
          <h2 id="scenes-title">Keyframes</h2>
          <SceneGrid scenes={scenes} />
        </section>
      )}

      {film.mine && film.status === "done" && (
        <FixForm filmId={film.id} scenes={scenes} onCreated={addFix}
          busy={fixes.some(fixIsBusy)} />
      )}
      <FixList fixes={fixes} />
      <Versions versions={film.versions ?? []} />

      {film.mine && (
        <DeleteButton
          label="Delete this film"
          question={making ? "Stop making this film and delete it?" : "Delete this film, its files and its gallery entry?"}
          remove={() => call(api.DELETE("/api/films/{film_id}", { params: { path: { film_id: film.id } } }))}
          onDeleted={() => navigate("/films", { state: { deleted: filmTitle(film) } })}
        />
      )}
    </article>
  );
}

function Meta({ film }: { film: FilmDetail }) {
  const parts = [idLabel(film.genre), idLabel(film.style),
    film.minutes ? `${film.minutes} min` : "", film.aspect ?? "", formatDate(film.created_at)];
  return <span>{parts.filter(Boolean).join(" · ")}</span>;
}

import { Link, useLocation } from "react-router";
import { api, call } from "../api/client";
import { DeleteButton } from "../components/DeleteButton";
import { FilmCard } from "../components/FilmCard";
import { usePageTitle } from "../hooks/usePageTitle";
import { useResource } from "../hooks/useResource";
import { OlderFilms } from "../components/OlderFilms";

const loadMyFilms = () => call(api.GET("/api/films"));
const loadOlder = (cursor: string) => call(api.GET("/api/films", { params: { query: { cursor } } }));
const deleteMyData = () => call(api.DELETE("/api/me"));

export default function MyFilms() {
  usePageTitle("My films");
  const { data, error, loading, reload } = useResource(loadMyFilms, "my-films");
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;
  return (
    <section aria-labelledby="my-films-title">
      <div className="page-head">
        <h1 id="my-films-title">My films</h1>
        <button type="button" onClick={reload} disabled={loading}>Refresh</button>
      </div>
      {deleted && <p role="status" className="notice">“{deleted}” was deleted.</p>}
      {error && <p role="alert" className="alert">Your films could not be loaded: {error.message}</p>}
      {!data && loading && <p role="status">Loading your films…</p>}
      {data && !data.films.length && (
        <p>You have not made a film yet. <Link to="/">Make your first one</Link>.</p>
      )}
      {data && data.films.length > 0 && (
        <ul className="film-grid">
          {data.films.map((film) => <FilmCard key={film.id} film={film} />)}
        </ul>
      )}
      {data && <OlderFilms cursor={data.next_cursor} load={loadOlder} render={(film) => <FilmCard key={film.id} film={film} />} />}
      {data && data.films.length > 0 && (
        <DeleteButton
          label="Delete all my films"
          question="Delete every film you made or are making, with their files and gallery entries?"
          remove={deleteMyData}
          onDeleted={reload}
        />
      )}
    </section>
  );
}

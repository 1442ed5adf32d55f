import { api, call } from "../api/client";
import { FilmCard } from "../components/FilmCard";
import { OlderFilms } from "../components/OlderFilms";
import { usePageTitle } from "../hooks/usePageTitle";
import { useResource } from "../hooks/useResource";

const loadGallery = () => call(api.GET("/api/gallery"));
const loadOlder = (cursor: string) => call(api.GET("/api/gallery", { params: { query: { cursor } } }));

export default function Gallery() {
  usePageTitle("Gallery");
  const { data, error, loading } = useResource(loadGallery, "gallery");
  return (
    <section aria-labelledby="gallery-title">
      <h1 id="gallery-title">Gallery</h1>
      <p className="lede">Films people chose to share.</p>
      {error && <p role="alert" className="alert">The gallery could not be loaded: {error.message}</p>}
      {!data && loading && <p role="status">Loading the gallery…</p>}
      {data && !data.films.length && <p>No film has been shared yet.</p>}
      {data && data.films.length > 0 && (
        <ul className="film-grid">
          {data.films.map((film) => <FilmCard key={film.id} film={film} />)}
        </ul>
      )}
      {data && <OlderFilms cursor={data.next_cursor} load={loadOlder} render={(film) => <FilmCard key={film.id} film={film} />} />}
    </section>
  );
}

/** The API's shapes, named: all taken from the generated OpenAPI schema (`npm run gen`). */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Config = Schemas["Config"];
export type Options = Schemas["Options"];
export type GenreOption = Schemas["GenreOption"];
export type StyleOption = Schemas["StyleOption"];
export type FilmSummary = Schemas["FilmSummary"];
export type FilmDetail = Schemas["FilmDetail"];
export type GalleryFilm = Schemas["GalleryFilm"];
export type FilmUrls = Schemas["FilmUrls"];
export type Stage = Schemas["Stage"];
export type Scene = Schemas["SceneOutline"];
export type Shot = Schemas["ShotOutline"];
export type Fix = Schemas["FixRecord"];
export type FilmStatus = FilmSummary["status"];
export type FixStage = Fix["stage"];

/** What the new-film form sends (POST /api/films). */
export type FilmForm = {
  genre: string;
  theme: string;
  style: string;
  minutes: number;
  aspect: string;
};

/** What the fix form sends (POST /api/films/{id}/fixes). */
export type FixForm = {
  stage: FixStage;
  scene: number | null;
  shot: string | null;
  note: string;
};

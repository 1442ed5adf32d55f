/** The API's shapes, named: all taken from the generated OpenAPI schema (`npm run gen`). */
import type { components, paths } from "./schema";

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
export type FilmVersion = Schemas["FilmVersion"];
export type FilmQueue = Schemas["FilmQueue"];
export type FilmStatus = FilmSummary["status"];
export type FixStage = Fix["stage"];

/** The bodies the API takes, as its spec describes them. */
export type FilmBody = paths["/api/films"]["post"]["requestBody"]["content"]["application/json"];
export type FixBody = paths["/api/films/{film_id}/fixes"]["post"]["requestBody"]["content"]["application/json"];

/** What the new-film form holds while it is filled in: its choices are plain strings (or empty)
 *  until sent; the API checks them against its options and answers 422 naming a bad one. */
export type FilmForm = { [K in keyof Required<FilmBody>]: K extends "minutes" ? number : string };

/** What the fix form sends (POST /api/films/{id}/fixes). */
export type FixForm = Required<FixBody>;

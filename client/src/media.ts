/**
 * A fix makes a new version of a film's files behind the same API paths (video, thumbnails), which
 * the browser may have cached: the client adds the number of finished fixes to their query.
 */
import type { FilmDetail, FilmUrls, Scene } from "./api/types";

export function finishedFixes(film: Pick<FilmDetail, "fixes">): number {
  return (film.fixes ?? []).filter((f) => f.status === "done").length;
}

/** `url` with `v=<n>` added, for the API's own paths only (never a signed storage URL). */
export function withVersion<T extends string | null | undefined>(url: T, n: number): T | string {
  if (!n || !url || !url.startsWith("/api/")) return url;
  return `${url}${url.includes("?") ? "&" : "?"}v=${n}`;
}

export function versionedUrls(urls: FilmUrls, n: number): FilmUrls {
  return {
    video: withVersion(urls.video ?? null, n),
    poster: withVersion(urls.poster ?? null, n),
    subtitles: withVersion(urls.subtitles ?? null, n),
    srt: withVersion(urls.srt ?? null, n),
    timeline: withVersion(urls.timeline ?? null, n),
  };
}

export function versionedScenes(scenes: Scene[], n: number): Scene[] {
  if (!n) return scenes;
  return scenes.map((scene) => ({
    ...scene,
    shots: scene.shots.map((shot) => ({ ...shot, thumbnail: withVersion(shot.thumbnail ?? null, n) })),
  }));
}

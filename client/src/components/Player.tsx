import { useState } from "react";
import { apiIsCrossOrigin, apiUrl } from "../api/client";
import type { FilmDetail, FilmUrls } from "../api/types";
import { filmTitle } from "../labels";
import { finishedFixes, versionedUrls } from "../media";

/** The finished film: video with subtitles (a track, unless burned into the picture) and poster,
 *  and download links for the film, its subtitles and its editable timeline. */
export function Player({ film }: { film: FilmDetail }) {
  const urls = useStableUrls(film);
  if (!urls.video) return null;
  const [video, poster, subtitles, srt, timeline] = [apiUrl(urls.video), apiUrl(urls.poster), apiUrl(urls.subtitles),
    apiUrl(urls.srt), apiUrl(urls.timeline)];
  const track = film.subtitles !== "burned" ? subtitles : null;
  const language = languageName(film.language ?? "en");
  const vertical = film.aspect === "9:16";
  return (
    <figure className={`player ${vertical ? "vertical" : ""}`}>
      <video
        data-testid="film-video"
        controls
        preload="metadata"
        playsInline
        // Subtitles from another origin load only in CORS mode (the API answers CORS for this app).
        crossOrigin={apiIsCrossOrigin() ? "anonymous" : undefined}
        src={video}
        poster={poster ?? undefined}
        aria-label={filmTitle(film)}
      >
        {track && <track kind="subtitles" src={track} default srcLang={film.language} label={language} />}
        Your browser cannot play this video; <a href={video}>download it</a> instead.
      </video>
      <figcaption className="player-actions">
        <a className="button" href={video} download={`${film.id}.mp4`}>Download</a>
        {srt && <a className="button secondary" href={srt} download={`${film.id}.srt`}>Subtitles (.srt)</a>}
        {timeline && (
          <a className="button secondary" href={timeline} download={`${film.id}.otioz`}
            title="The timeline and its media as OpenTimelineIO, for DaVinci Resolve, Premiere, Blender and other editors">
            Editable timeline (.otioz)
          </a>
        )}
      </figcaption>
    </figure>
  );
}

/** The language's name in itself ("Deutsch"), as browsers know it; the code when they do not. */
function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The film's URLs, kept while polling goes on (a new `src` restarts the video) until a fix finishes. */
function useStableUrls(film: FilmDetail): FilmUrls {
  const fixed = finishedFixes(film);
  const version = `${film.id}:${fixed}`;
  const [shown, setShown] = useState({ version, urls: versionedUrls(film.urls, fixed) });
  if (shown.version !== version || (!shown.urls.video && film.urls.video)) {
    const urls = versionedUrls(film.urls, fixed);
    setShown({ version, urls });
    return urls;
  }
  return shown.urls;
}

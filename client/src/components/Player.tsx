import { useState } from "react";
import { apiIsCrossOrigin, apiUrl } from "../api/client";
import type { FilmDetail, FilmUrls } from "../api/types";
import { filmTitle } from "../labels";
import { finishedFixes, versionedUrls } from "../media";

/** The finished film: video with subtitles and poster, and a download link. */
export function Player({ film }: { film: FilmDetail }) {
  const urls = useStableUrls(film);
  if (!urls.video) return null;
  const [video, poster, subtitles] = [apiUrl(urls.video), apiUrl(urls.poster), apiUrl(urls.subtitles)];
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
        {subtitles && <track kind="subtitles" src={subtitles} default srcLang="en" label="English" />}
        Your browser cannot play this video; <a href={video}>download it</a> instead.
      </video>
      <figcaption className="player-actions">
        <a className="button" href={video} download={`${film.id}.mp4`}>Download</a>
      </figcaption>
    </figure>
  );
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

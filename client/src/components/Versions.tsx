import { apiUrl } from "../api/client";
import type { FilmVersion } from "../api/types";
import { formatDate } from "../labels";

const STATE: Record<FilmVersion["status"], string> = {
  checking: "Being checked", passed: "Passed its checks", failed: "Failed its checks",
};

function badge(version: FilmVersion): { text: string; kind: string } {
  if (version.playing) return { text: "Playing", kind: "done" };
  if (version.status === "failed") return { text: "Not shown", kind: "failed" };
  if (version.status === "checking") return { text: "Checking", kind: "running" };
  return { text: "Older", kind: "queued" };
}

/** Every cut of the film, newest first: which one plays, which failed its checks and why. A cut
 *  is shown only once it passed its checks; until then the one before keeps playing. */
export function Versions({ versions }: { versions: FilmVersion[] }) {
  if (!versions.length) return null;
  return (
    <section className="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <ul>
        {versions.map((version) => {
          const { text, kind } = badge(version);
          return (
            <li key={version.number} className="version" aria-current={version.playing ? "true" : undefined}>
              <span className="version-name">Version {version.number}</span>{" "}
              <span className={`badge badge-${kind}`}>{text}</span>{" "}
              <span className="version-meta">
                {STATE[version.status]}, {formatDate(version.created_at)}
                {version.duration != null && `, ${Math.round(version.duration)} s`}
              </span>
              {version.video && !version.playing && (
                <> <a href={apiUrl(version.video)}>Watch version {version.number}</a></>
              )}
              {version.status === "failed" && (
                <p className="field-error">{version.reason || `Failed: ${version.failed_checks.join(", ")}`}</p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

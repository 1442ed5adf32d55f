import { apiUrl } from "../api/client";
import type { Scene } from "../api/types";

/** Scenes and their shots, each shot's keyframe thumbnail appearing once it is drawn. */
export function SceneGrid({ scenes }: { scenes: Scene[] }) {
  if (!scenes.length) return null;
  return (
    <div className="scenes">
      {scenes.map((scene) => (
        <section key={scene.index} className="scene" aria-labelledby={`scene-${scene.index}`}>
          <h3 id={`scene-${scene.index}`}>Scene {scene.index}: {scene.title}</h3>
          <ul className="shots">
            {scene.shots.map((shot) => (
              <li key={shot.id} className="shot">
                {shot.thumbnail
                  ? <img src={apiUrl(shot.thumbnail)} alt={shot.description} loading="lazy" />
                  : <div className="shot-pending" aria-label={`${shot.description} (not drawn yet)`}>Drawing…</div>}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

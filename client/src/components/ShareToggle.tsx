import { useState } from "react";
import { api, call } from "../api/client";
import { ApiError } from "../api/errors";

interface Props {
  filmId: string;
  shared: boolean;
  onChange(shared: boolean): void;
}

/** A labelled checkbox: POST /share to share the film in the gallery, DELETE to stop sharing. */
export function ShareToggle({ filmId, shared, onChange }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async (next: boolean) => {
    setBusy(true);
    setError(null);
    const params = { params: { path: { film_id: filmId } } };
    try {
      const result = await call(next
        ? api.POST("/api/films/{film_id}/share", params)
        : api.DELETE("/api/films/{film_id}/share", params));
      onChange(result.shared);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
    setBusy(false);
  };

  return (
    <div className="share">
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          checked={shared}
          disabled={busy}
          aria-describedby="share-hint"
          onChange={(e) => toggle(e.target.checked)}
        />
        <span>Share in the gallery</span>
      </label>
      <p id="share-hint" className="hint">
        {shared ? "Anyone can watch this film in the gallery." : "Only you can watch this film."}
      </p>
      {error && <p role="alert" className="alert">Sharing could not be changed: {error}</p>}
    </div>
  );
}

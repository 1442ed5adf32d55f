import { useState, type FormEvent } from "react";
import { api, apiUrl, call } from "../api/client";
import { ApiError, type FieldMessages } from "../api/errors";
import type { Fix, FixForm as FixBody, FixStage, Scene } from "../api/types";
import { stageLabel } from "../labels";
import { charCount, NOTE_MAX, validateNote } from "../validation";
import { FieldError } from "./FieldError";

const STAGES: FixStage[] = ["keyframes", "clips", "narration", "music"];
const HINTS: Record<FixStage, string> = {
  keyframes: "Draw the pictures of a shot (or of a whole scene) again.",
  clips: "Animate a shot (or a whole scene) again.",
  narration: "Speak a scene's narration again.",
  music: "Compose the score again (one piece for the whole film).",
};
const FIELDS = ["stage", "scene", "shot", "note"] as const;

interface Props {
  filmId: string;
  scenes: Scene[];
  /** A fix is under way (the API takes one at a time). */
  busy?: boolean;
  onCreated(fix: Fix): void;
}

/** "Fix a part": which stage to redo, for which scene or shot, with an optional note. */
export function FixForm({ filmId, scenes, busy = false, onCreated }: Props) {
  const [stage, setStage] = useState<FixStage>(scenes.length ? "keyframes" : "music");
  const [scene, setScene] = useState<number | null>(scenes[0]?.index ?? null);
  const [shot, setShot] = useState<string>("");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<FieldMessages>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const needsScene = stage !== "music";
  const takesShot = stage === "keyframes" || stage === "clips";
  const current = scenes.find((s) => s.index === scene) ?? null;
  const chosenShot = takesShot && shot ? current?.shots.find((s) => s.id === shot) ?? null : null;
  const noteProblem = validateNote(note);

  const body = (): FixBody => ({
    stage,
    scene: !needsScene || chosenShot ? null : scene,
    shot: chosenShot ? chosenShot.id : null,
    note: note.trim(),
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAlert(null);
    const local: FieldMessages = {};
    if (noteProblem) local.note = noteProblem;
    if (needsScene && scene === null) local.scene = "Choose a scene.";
    setErrors(local);
    if (Object.keys(local).length) return;
    setSending(true);
    try {
      const fix = await call(api.POST("/api/films/{film_id}/fixes", {
        params: { path: { film_id: filmId } }, body: body(),
      }));
      setNote("");
      onCreated(fix);
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, undefined);
      const { fields, other } = error.split(FIELDS);
      setErrors(fields);
      setAlert(other);
    }
    setSending(false);
  };

  return (
    <form className="fix-form" onSubmit={submit} noValidate aria-labelledby="fix-title">
      <h2 id="fix-title">Fix a part</h2>
      {alert && <p role="alert" className="alert">{alert}</p>}

      <div className="field">
        <label htmlFor="fix-stage" className="field-label">What to redo</label>
        <select
          id="fix-stage"
          value={stage}
          onChange={(e) => { setStage(e.target.value as FixStage); setErrors({}); }}
          aria-describedby="fix-stage-hint fix-stage-error"
        >
          {STAGES.map((s) => (
            <option key={s} value={s} disabled={s !== "music" && !scenes.length}>{stageLabel(s)}</option>
          ))}
        </select>
        <p id="fix-stage-hint" className="hint">{HINTS[stage]}</p>
        <FieldError id="fix-stage-error" message={errors.stage} />
      </div>

      {needsScene && (
        <div className="row">
          <div className="field">
            <label htmlFor="fix-scene" className="field-label">Scene</label>
            <select
              id="fix-scene"
              value={scene ?? ""}
              onChange={(e) => { setScene(e.target.value ? Number(e.target.value) : null); setShot(""); }}
              aria-invalid={!!errors.scene}
              aria-describedby="fix-scene-error"
            >
              {scenes.map((s) => <option key={s.index} value={s.index}>Scene {s.index}: {s.title}</option>)}
            </select>
            <FieldError id="fix-scene-error" message={errors.scene} />
          </div>

          {takesShot && (
            <div className="field">
              <label htmlFor="fix-shot" className="field-label">Shot</label>
              <select
                id="fix-shot"
                value={shot}
                onChange={(e) => setShot(e.target.value)}
                aria-invalid={!!errors.shot}
                aria-describedby="fix-shot-error"
              >
                <option value="">The whole scene</option>
                {current?.shots.map((s, i) => (
                  <option key={s.id} value={s.id}>Shot {i + 1}: {s.description}</option>
                ))}
              </select>
              <FieldError id="fix-shot-error" message={errors.shot} />
            </div>
          )}
        </div>
      )}

      {takesShot && current && (
        <ul className="shots fix-shots" aria-label="Shots of this scene">
          {current.shots.map((s, i) => (
            <li key={s.id}>
              <button
                type="button"
                className="shot-pick"
                aria-pressed={shot === s.id}
                onClick={() => setShot(shot === s.id ? "" : s.id)}
              >
                {s.thumbnail ? <img src={apiUrl(s.thumbnail)} alt="" /> : <span className="shot-pending">No picture</span>}
                <span className="visually-hidden">Shot {i + 1}: {s.description}</span>
              </button>
            </li>
          ))}
        </ul>
      )}

      <div className="field">
        <label htmlFor="fix-note" className="field-label">Note (optional)</label>
        <textarea
          id="fix-note"
          rows={2}
          value={note}
          placeholder="What should be different?"
          onChange={(e) => setNote(e.target.value)}
          aria-invalid={!!(errors.note || noteProblem)}
          aria-describedby="fix-note-count fix-note-error"
        />
        <p id="fix-note-count" className={`counter ${charCount(note) > NOTE_MAX ? "over" : ""}`}>
          {charCount(note)} / {NOTE_MAX}
        </p>
        <FieldError id="fix-note-error" message={errors.note ?? noteProblem} />
      </div>

      {busy && <p className="hint" id="fix-busy">A fix is under way; ask for another once it is done.</p>}
      <button type="submit" className="primary" disabled={sending || busy}
        aria-describedby={busy ? "fix-busy" : undefined}>
        {sending ? "Sending…" : "Redo this part"}
      </button>
    </form>
  );
}

import type { Stage } from "../api/types";
import { stageLabel } from "../labels";

/** Each stage with a <progress> bar named "Keyframes 7/24", and its note. */
export function ProgressView({ stages }: { stages: Stage[] }) {
  return (
    <ol className="stages">
      {stages.map((s) => {
        const id = `stage-${s.stage}`;
        const complete = s.total > 0 && s.done >= s.total;
        return (
          <li key={s.stage} className={complete ? "stage complete" : "stage"}>
            <label htmlFor={id} className="stage-label">
              <span>{stageLabel(s.stage)}</span> <span className="stage-count">{s.done}/{s.total}</span>
            </label>
            <progress id={id} max={Math.max(s.total, 1)} value={Math.min(s.done, Math.max(s.total, 1))} />
            {s.note && <p className="stage-note">{s.note}</p>}
          </li>
        );
      })}
    </ol>
  );
}

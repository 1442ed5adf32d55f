import type { Fix } from "../api/types";
import { stageLabel } from "../labels";
import { StatusBadge } from "./StatusBadge";

function target(fix: Fix): string {
  if (fix.shot) return `shot ${fix.shot}`;
  if (fix.scene !== null && fix.scene !== undefined) return `scene ${fix.scene}`;
  return "whole film";
}

export function FixList({ fixes }: { fixes: Fix[] }) {
  if (!fixes.length) return null;
  return (
    <section className="fixes" aria-labelledby="fixes-title">
      <h2 id="fixes-title">Fixes</h2>
      <ul>
        {fixes.map((fix) => (
          <li key={fix.id} className="fix">
            <span>{stageLabel(fix.stage)}, {target(fix)}</span> <StatusBadge status={fix.status} />
            {fix.note && <p className="fix-note">“{fix.note}”</p>}
            {fix.error && <p className="field-error">{fix.error}</p>}
          </li>
        ))}
      </ul>
    </section>
  );
}

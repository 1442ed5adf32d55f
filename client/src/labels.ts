/** Words for the ids the API uses. */

const STAGES: Record<string, string> = {
  script: "Script",
  character_sheets: "Character sheets",
  keyframes: "Keyframes",
  narration: "Narration",
  music: "Music",
  clips: "Clips",
  final_cut: "Final cut",
};

export function stageLabel(stage: string): string {
  return STAGES[stage] ?? stage.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** A genre's or style's id in words, as /api/options labels them ("sci-fi" -> "Sci-fi"). */
export function idLabel(id: string | null | undefined): string {
  if (!id) return "";
  if (id === "sci-fi") return "Sci-fi";
  return id.replace(/[-_]/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** The name a film goes by: its title once the script has one, else its theme. */
export function filmTitle(film: { title?: string | null; theme?: string | null }): string {
  return film.title || film.theme || "Untitled film";
}

export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

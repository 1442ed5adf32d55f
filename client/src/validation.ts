/**
 * The form's rules, as the API applies them (dreamreel_assets.models.FilmRequest / FixRequest):
 * a theme is 3-500 characters after trimming with at least 3 visible ones, a fix note at most 300
 * (and, if any, 3 visible); neither may contain control characters (Unicode categories Cc, Cs, Co),
 * unassigned code points (Cn) or bidirectional controls. Lengths count code points, as Python does.
 */

export const THEME_MIN = 3;
export const THEME_MAX = 500;
export const NOTE_MAX = 300;

const CONTROL = /[\p{Cc}\p{Cs}\p{Co}]/u;
const UNASSIGNED = /\p{Cn}/u;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const VISIBLE = /[^\p{Z}\p{C}\p{M}]/gu;
export const VISIBLE_MIN = 3;

/** Why the text cannot be shown as typed, or null: hidden reordering, unassigned or control characters. */
function hiddenTrouble(text: string, what: string): string | null {
  if (BIDI.test(text)) return `The ${what} must not contain characters that reorder the text around them.`;
  if (UNASSIGNED.test(text)) return `The ${what} contains a character Unicode has not assigned.`;
  if (hasControlCharacters(text)) return `The ${what} must not contain control characters.`;
  return null;
}

function visibleCount(text: string): number {
  return text.match(VISIBLE)?.length ?? 0;
}

/** Characters as a person (and Python's len) counts them: code points, not UTF-16 units. */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

export interface ThemeLimits {
  min?: number;
  max?: number;
}

/** What is wrong with a theme, in words, or null when it is fine. */
export function validateTheme(value: string, limits: ThemeLimits = {}): string | null {
  const min = limits.min ?? THEME_MIN;
  const max = limits.max ?? THEME_MAX;
  const text = value.trim();
  if (!text) return "Describe your film in a few words.";
  if (/[\r\n]/.test(text)) return "The theme must be one paragraph, without line breaks.";
  const trouble = hiddenTrouble(text, "theme");
  if (trouble) return trouble;
  const n = charCount(text);
  if (n < min) return `The theme must be at least ${min} characters (not counting spaces at the ends).`;
  if (n > max) return `The theme must be at most ${max} characters (it has ${n}).`;
  if (visibleCount(text) < VISIBLE_MIN) return `The theme needs at least ${VISIBLE_MIN} visible characters.`;
  return null;
}

/** What is wrong with a fix note (optional), or null. */
export function validateNote(value: string, max: number = NOTE_MAX): string | null {
  const text = value.trim();
  if (/[\r\n]/.test(text)) return "The note must be one paragraph, without line breaks.";
  const trouble = hiddenTrouble(text, "note");
  if (trouble) return trouble;
  const n = charCount(text);
  if (n > max) return `The note must be at most ${max} characters (it has ${n}).`;
  if (text && visibleCount(text) < VISIBLE_MIN) return `The note needs at least ${VISIBLE_MIN} visible characters.`;
  return null;
}

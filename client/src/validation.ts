/**
 * The form's rules, as the API applies them (dreamreel_assets.models.FilmRequest / FixRequest):
 * a theme is 3-500 characters after trimming, a fix note at most 300; neither may contain
 * control characters (Unicode categories Cc, Cs, Co). Lengths count code points, as Python does.
 */

export const THEME_MIN = 3;
export const THEME_MAX = 500;
export const NOTE_MAX = 300;

const CONTROL = /[\p{Cc}\p{Cs}\p{Co}]/u;

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
  if (hasControlCharacters(text)) return "The theme must not contain control characters.";
  const n = charCount(text);
  if (n < min) return `The theme must be at least ${min} characters (not counting spaces at the ends).`;
  if (n > max) return `The theme must be at most ${max} characters (it has ${n}).`;
  return null;
}

/** What is wrong with a fix note (optional), or null. */
export function validateNote(value: string, max: number = NOTE_MAX): string | null {
  const text = value.trim();
  if (/[\r\n]/.test(text)) return "The note must be one paragraph, without line breaks.";
  if (hasControlCharacters(text)) return "The note must not contain control characters.";
  const n = charCount(text);
  if (n > max) return `The note must be at most ${max} characters (it has ${n}).`;
  return null;
}

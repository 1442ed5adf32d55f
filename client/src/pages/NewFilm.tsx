import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { api, apiUrl, call } from "../api/client";
import { ApiError, type FieldMessages } from "../api/errors";
import type { FilmBody, FilmForm, Options } from "../api/types";
import { FieldError } from "../components/FieldError";
import { RadioCards } from "../components/RadioCards";
import { useOptions } from "../hooks/useOptions";
import { usePageTitle } from "../hooks/usePageTitle";
import { charCount, validateTheme } from "../validation";

const FIELDS = ["genre", "theme", "style", "minutes", "aspect", "language", "subtitles"] as const;
const ASPECTS: Record<string, string> = { "16:9": "16:9 landscape", "9:16": "9:16 portrait" };

export default function NewFilm() {
  usePageTitle("New film");
  const options = useOptions();
  if (options.error) {
    return (
      <div role="alert" className="alert">
        <p>The form could not be loaded: {options.error.message}</p>
        <button type="button" onClick={options.reload}>Try again</button>
      </div>
    );
  }
  if (!options.data) return <p role="status">Loading the form…</p>;
  return <FilmFormView options={options.data} />;
}

function FilmFormView({ options }: { options: Options }) {
  const navigate = useNavigate();
  const [form, setForm] = useState<FilmForm>(() => ({
    genre: options.genres[0]?.id ?? "",
    theme: "",
    style: options.styles[0]?.id ?? "",
    minutes: options.minutes.default,
    aspect: options.aspects[0] ?? "16:9",
    language: options.languages[0]?.id ?? "en",
    subtitles: options.subtitles[0]?.id ?? "soft",
  }));
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldMessages>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const themeRef = useRef<HTMLTextAreaElement>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const limits = { min: options.theme.min, max: options.theme.max };
  const themeProblem = validateTheme(form.theme, limits);
  const errors: FieldMessages = { ...serverErrors };
  if (touched && themeProblem) errors.theme = themeProblem;

  useEffect(() => {
    if (alert) alertRef.current?.focus();
  }, [alert]);

  const set = <K extends keyof FilmForm>(key: K, value: FilmForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setServerErrors((e) => {
      if (!(key in e)) return e;
      const rest = { ...e };
      delete rest[key];
      return rest;
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (sending) return;
    setTouched(true);
    setAlert(null);
    if (themeProblem) {
      themeRef.current?.focus();
      return;
    }
    setSending(true);
    try {
      const body = { ...form, theme: form.theme.trim() } as FilmBody;  // choices are checked by the API
      const created = await call(api.POST("/api/films", { body }));
      navigate(`/films/${encodeURIComponent(created.id)}`);
      return;
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(0, undefined);
      const { fields, other } = error.split(FIELDS);
      setServerErrors(fields);
      setAlert(error.status === 422 && !other ? null : other ?? error.message);
      if (fields.theme) themeRef.current?.focus();
    }
    setSending(false);
  };

  const count = charCount(form.theme);
  const describe = (field: string, ...more: string[]) => [...more, `${field}-error`].join(" ");

  return (
    <form className="film-form" onSubmit={submit} noValidate aria-labelledby="new-film-title">
      <h1 id="new-film-title">Make a short film</h1>
      <p className="lede">Pick a genre and a style, describe your story, and DreamReel makes the film.</p>

      <div ref={alertRef} role="alert" tabIndex={-1} className={alert ? "alert" : "alert-empty"}>
        {alert}
      </div>

      <section className="field">
        <h2 id="genre-label" className="field-label">Genre</h2>
        <RadioCards
          labelledBy="genre-label"
          className="chips"
          options={options.genres.map((g) => ({ id: g.id, label: g.label, description: g.description }))}
          value={form.genre}
          onChange={(id) => set("genre", id)}
          describedBy="genre-error"
          invalid={!!errors.genre}
        />
        <FieldError id="genre-error" message={errors.genre} />
      </section>

      <div className="field">
        <label htmlFor="theme" className="field-label">Theme</label>
        <p id="theme-hint" className="hint">
          One or two sentences: who, where, what happens ({limits.min}–{limits.max} characters).
        </p>
        <textarea
          id="theme"
          ref={themeRef}
          name="theme"
          rows={4}
          value={form.theme}
          placeholder="A shy dragon opens a bakery in a mountain village"
          onChange={(e) => set("theme", e.target.value)}
          onBlur={() => setTouched(true)}
          aria-invalid={!!errors.theme}
          aria-describedby={describe("theme", "theme-hint", "theme-count")}
          required
        />
        <p id="theme-count" className={`counter ${count > limits.max ? "over" : ""}`} aria-live="polite">
          {count} / {limits.max}
        </p>
        <FieldError id="theme-error" message={errors.theme} />
      </div>

      <section className="field">
        <h2 id="style-label" className="field-label">Visual style</h2>
        <RadioCards
          labelledBy="style-label"
          className="styles"
          options={options.styles.map((s) => ({
            id: s.id,
            label: s.label,
            media: <img src={apiUrl(s.image)} alt={`Example of the ${s.label} style`} loading="lazy" width={160} height={90} />,
          }))}
          value={form.style}
          onChange={(id) => set("style", id)}
          describedBy="style-error"
          invalid={!!errors.style}
        />
        <FieldError id="style-error" message={errors.style} />
      </section>

      <div className="row">
        <div className="field">
          <label htmlFor="minutes" className="field-label">Length</label>
          <select
            id="minutes"
            name="minutes"
            value={form.minutes}
            onChange={(e) => set("minutes", Number(e.target.value))}
            aria-invalid={!!errors.minutes}
            aria-describedby="minutes-error"
          >
            {options.lengths.map((n) => <option key={n} value={n}>{n} minutes</option>)}
          </select>
          <FieldError id="minutes-error" message={errors.minutes} />
        </div>

        <fieldset className="field aspect" aria-describedby="aspect-error">
          <legend className="field-label">Aspect</legend>
          {options.aspects.map((a) => (
            <label key={a} className="inline">
              <input
                type="radio"
                name="aspect"
                value={a}
                checked={form.aspect === a}
                onChange={() => set("aspect", a)}
              />
              {ASPECTS[a] ?? a}
            </label>
          ))}
          <FieldError id="aspect-error" message={errors.aspect} />
        </fieldset>
      </div>

      <div className="row">
        <div className="field">
          <label htmlFor="language" className="field-label">Language</label>
          <select
            id="language"
            name="language"
            value={form.language}
            onChange={(e) => set("language", e.target.value)}
            disabled={options.languages.length < 2}
            aria-invalid={!!errors.language}
            aria-describedby={describe("language", "language-note")}
          >
            {options.languages.map((l) => (
              <option key={l.id} value={l.id} lang={l.id}>{l.label === l.name ? l.label : `${l.label} (${l.name})`}</option>
            ))}
          </select>
          <p id="language-note" className="hint">{options.languages_note ?? "Script, voices and subtitles."}</p>
          <FieldError id="language-error" message={errors.language} />
        </div>

        <fieldset className="field subtitles" aria-describedby="subtitles-error">
          <legend className="field-label">Subtitles</legend>
          {options.subtitles.map((choice) => (
            <label key={choice.id} className="inline">
              <input
                type="radio"
                name="subtitles"
                value={choice.id}
                checked={form.subtitles === choice.id}
                onChange={() => set("subtitles", choice.id)}
              />
              {choice.label}
            </label>
          ))}
          <FieldError id="subtitles-error" message={errors.subtitles} />
        </fieldset>
      </div>

      <button type="submit" className="primary" disabled={sending}>
        {sending ? "Sending…" : "Make my film"}
      </button>
    </form>
  );
}

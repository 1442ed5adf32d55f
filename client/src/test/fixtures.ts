import type { FilmDetail, FilmSummary, GalleryFilm, Options } from "../api/types";

export const OPTIONS: Options = {
  genres: [
    { id: "fantasy", label: "Fantasy", description: "Enchantments and hidden valleys", mood: "wondrous" },
    { id: "mystery", label: "Mystery", description: "Clues and secrets", mood: "suspense" },
    { id: "sci-fi", label: "Sci-fi", description: "Ships and signals", mood: "ethereal" },
  ],
  styles: [
    { id: "storybook", label: "Storybook", image: "/api/styles/storybook.png" },
    { id: "noir", label: "Noir", image: "/api/styles/noir.png" },
  ],
  voices: [{ id: "warm", label: "Warm" }],
  minutes: { min: 5, max: 10, default: 5 },
  lengths: [5, 6, 7, 8, 9, 10],
  aspects: ["16:9", "9:16"],
  theme: { min: 3, max: 500, default: 3 },
  languages: [{ id: "en", label: "English", name: "English" }],
  languages_note: "Films are in English here: this server writes scripts with its built-in writer, which writes English only.",
  subtitles: [
    { id: "soft", label: "Subtitles the viewer can switch on" },
    { id: "burned", label: "Burned into the picture (for phones)" },
  ],
};

export const MULTILINGUAL_OPTIONS: Options = {
  ...OPTIONS,
  languages: [
    { id: "en", label: "English", name: "English" },
    { id: "de", label: "Deutsch", name: "German" },
  ],
  languages_note: null,
};

const NO_URLS = { video: null, poster: null, subtitles: null, srt: null, timeline: null };

export function film(overrides: Partial<FilmDetail> = {}): FilmDetail {
  return {
    id: "dragon-bakery-1a2b3c4d",
    genre: "fantasy",
    style: "storybook",
    theme: "A shy dragon opens a bakery",
    minutes: 5,
    aspect: "16:9",
    language: "en",
    subtitles: "soft",
    created_at: "2025-01-01T10:00:00Z",
    updated_at: "2025-01-01T10:05:00Z",
    status: "running",
    shared: false,
    error: null,
    title: null,
    urls: NO_URLS,
    mine: true,
    progress: [
      { stage: "script", done: 1, total: 1, note: "" },
      { stage: "keyframes", done: 7, total: 24, note: "Drawing scene 2" },
      { stage: "clips", done: 0, total: 24, note: "" },
    ],
    scenes: [],
    fixes: [],
    versions: [],
    queue: null,
    ...overrides,
  };
}

export const SCENES: FilmDetail["scenes"] = [
  {
    index: 1, title: "The empty shop", shots: [
      { id: "s1a", description: "A dragon peeks into an empty shop", thumbnail: "/api/films/x/thumbs/s1a.jpg" },
      { id: "s1b", description: "Flour everywhere", thumbnail: null },
    ],
  },
  {
    index: 2, title: "Opening day", shots: [
      { id: "s2a", description: "Villagers queue at the door", thumbnail: "/api/films/x/thumbs/s2a.jpg" },
    ],
  },
];

export function doneFilm(overrides: Partial<FilmDetail> = {}): FilmDetail {
  return film({
    status: "done",
    title: "The Dragon's Bakery",
    urls: {
      video: "/api/films/dragon-bakery-1a2b3c4d/video?exp=1&sig=abc",
      poster: "/api/films/dragon-bakery-1a2b3c4d/poster?exp=1&sig=abc",
      subtitles: "/api/films/dragon-bakery-1a2b3c4d/subtitles?exp=1&sig=abc",
      srt: "/api/films/dragon-bakery-1a2b3c4d/srt?exp=1&sig=abc",
      timeline: "/api/films/dragon-bakery-1a2b3c4d/timeline?exp=1&sig=abc",
    },
    progress: [
      { stage: "script", done: 1, total: 1, note: "" },
      { stage: "final_cut", done: 1, total: 1, note: "" },
    ],
    scenes: SCENES,
    ...overrides,
  });
}

export function summary(overrides: Partial<FilmSummary> = {}): FilmSummary {
  const { mine: _m, progress: _p, scenes: _s, fixes: _f, versions: _v, ...rest } = doneFilm();
  return { ...rest, ...overrides };
}

export function galleryFilm(overrides: Partial<GalleryFilm> = {}): GalleryFilm {
  return {
    id: "lighthouse-9f8e7d6c", genre: "mystery", style: "noir",
    theme: "A lighthouse keeper finds a map", minutes: 6, aspect: "16:9", language: "en", subtitles: "soft",
    created_at: "2025-01-02T10:00:00Z", title: "The Keeper's Map",
    urls: { video: "/api/films/lighthouse-9f8e7d6c/video", poster: "/api/films/lighthouse-9f8e7d6c/poster",
      subtitles: "/api/films/lighthouse-9f8e7d6c/subtitles" },
    ...overrides,
  };
}

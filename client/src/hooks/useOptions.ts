import { api, call } from "../api/client";
import type { Options } from "../api/types";
import { useResource } from "./useResource";

let cached: Promise<Options> | null = null;

/** GET /api/options, fetched once per page load (a failed load is tried again next time). */
export function loadOptions(): Promise<Options> {
  if (!cached) {
    cached = call(api.GET("/api/options"));
    cached.catch(() => { cached = null; });
  }
  return cached;
}

/** For tests: forget the options loaded so far. */
export function resetOptionsCache(): void {
  cached = null;
}

export function useOptions() {
  return useResource(loadOptions, "options");
}

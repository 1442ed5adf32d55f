/** The one API client: openapi-fetch typed by the generated schema, adding the bearer token. */
import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, detailOf } from "./errors";
import type { paths } from "./schema";

/** Gives the current ID token, or null when signed out (set by the AuthProvider). */
export type TokenProvider = () => Promise<string | null>;

let tokenProvider: TokenProvider | null = null;

export function setTokenProvider(provider: TokenProvider | null): void {
  tokenProvider = provider;
}

const bearer: Middleware = {
  async onRequest({ request }) {
    const token = tokenProvider ? await tokenProvider() : null;
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
};

function pageOrigin(): string {
  return typeof location !== "undefined" && location.origin !== "null" ? location.origin : "";
}

/** The API's origin: the page's own, or another one found at start (see base.ts). */
let apiOrigin = pageOrigin();

function makeClient(origin: string) {
  const crossOrigin = origin !== pageOrigin();
  const client = createClient<paths>({
    // An absolute base so Request objects can be built outside browsers too.
    baseUrl: origin,
    // Looked up at call time, so tests can stub the global fetch.
    fetch: (request: Request) => globalThis.fetch(request),
    // Behind a free ngrok tunnel, API calls must skip ngrok's browser warning page.
    headers: crossOrigin ? { Accept: "application/json", "ngrok-skip-browser-warning": "1" } : { Accept: "application/json" },
  });
  client.use(bearer);
  return client;
}

export let api = makeClient(apiOrigin);

/** Talk to the API at `origin` from now on (called once, before the first call). */
export function setApiOrigin(origin: string): void {
  if (origin === apiOrigin) return;
  apiOrigin = origin;
  api = makeClient(origin);
}

/** Whether the API is on another origin than the page (media then need CORS-mode loading). */
export function apiIsCrossOrigin(): boolean {
  return apiOrigin !== pageOrigin();
}

/** A link the API gave (`/api/...`) as the browser must load it: on the API's origin. */
export function apiUrl<T extends string | null | undefined>(url: T): T | string {
  if (!url || !url.startsWith("/") || url.startsWith("//") || !apiIsCrossOrigin()) return url;
  return `${apiOrigin}${url}`;
}

interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a call, or an ApiError (status 0 when the server cannot be reached). */
export async function call<T>(request: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await request;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, undefined);
  }
  if (!result.response.ok || result.data === undefined) {
    throw new ApiError(result.response.status, detailOf(result.error));
  }
  return result.data;
}

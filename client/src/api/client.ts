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

export const api = createClient<paths>({
  // An absolute base (the page's own origin) so Request objects can be built outside browsers too.
  baseUrl: typeof location !== "undefined" && location.origin !== "null" ? location.origin : "",
  // Looked up at call time, so tests can stub the global fetch.
  fetch: (request: Request) => globalThis.fetch(request),
  headers: { Accept: "application/json" },
});
api.use(bearer);

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

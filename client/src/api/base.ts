/**
 * Where the API is. By default the page's own origin (the API serves the web app). A web app
 * hosted apart from the API (Firebase Hosting) ships `/dreamreel.json` next to index.html:
 *
 *   {"api": "https://yours.ngrok-free.app"}                      a fixed address, or
 *   {"firebase": {"projectId": "...", "apiKey": "..."}}         read the address the GPU server
 *                                                               publishes (Firestore `public/api`)
 *
 * so a new tunnel address needs no rebuild. The file is read at run time, never bundled.
 */

export const RUNTIME_CONFIG = "/dreamreel.json";
const FIRESTORE_REST = "https://firestore.googleapis.com/v1";

/** The API's server has said it is offline (its tunnel is closed). */
export class ServerOffline extends Error {
  constructor() {
    super("The DreamReel server is offline right now. Please try again later.");
    this.name = "ServerOffline";
  }
}

interface RuntimeConfig {
  api?: unknown;
  firebase?: { projectId?: unknown; apiKey?: unknown };
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** An http(s) origin (no path) or null. */
export function asOrigin(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** The URL of the Firestore document the server publishes its address in. */
export function addressDocumentUrl(projectId: string, apiKey: string): string {
  const project = encodeURIComponent(projectId);
  return `${FIRESTORE_REST}/projects/${project}/databases/(default)/documents/public/api?key=${encodeURIComponent(apiKey)}`;
}

/** The API origin in a Firestore REST document ({fields: {url: {stringValue}, online: {booleanValue}}}). */
export function originInDocument(document: unknown): string {
  const fields = (document as { fields?: Record<string, Record<string, unknown>> } | null)?.fields ?? {};
  const online = fields.online?.booleanValue === true;
  const origin = asOrigin(fields.url?.stringValue);
  if (!online || !origin) throw new ServerOffline();
  return origin;
}

async function readJson(fetcher: Fetch, url: string): Promise<unknown | null> {
  const response = await fetcher(url, { cache: "no-store", headers: { Accept: "application/json" } });
  if (!response.ok) return null;
  try {
    return await response.json();
  } catch {
    return null; // e.g. a server answering every path with index.html
  }
}

/**
 * The API's origin for this page: `same` (the page's own origin) unless the runtime config names
 * another. Throws ServerOffline when the published address says the server is offline.
 */
export async function discoverApiOrigin(pageOrigin: string, fetcher: Fetch = (u, i) => globalThis.fetch(u, i)): Promise<string> {
  let config: RuntimeConfig | null = null;
  try {
    config = (await readJson(fetcher, `${pageOrigin}${RUNTIME_CONFIG}`)) as RuntimeConfig | null;
  } catch {
    config = null;
  }
  if (!config || typeof config !== "object") return pageOrigin;
  const fixed = asOrigin(config.api);
  if (fixed) return fixed;
  const { projectId, apiKey } = config.firebase ?? {};
  if (typeof projectId === "string" && typeof apiKey === "string" && projectId && apiKey) {
    let document: unknown;
    try {
      document = await readJson(fetcher, addressDocumentUrl(projectId, apiKey));
    } catch {
      throw new Error("Cannot find the DreamReel server: its address could not be read. Check your connection.");
    }
    return originInDocument(document);
  }
  return pageOrigin;
}

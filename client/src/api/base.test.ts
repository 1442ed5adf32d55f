import { describe, expect, it, vi } from "vitest";
import { addressDocumentUrl, asOrigin, discoverApiOrigin, originInDocument, ServerOffline } from "./base";

const PAGE = "https://dreamreel-demo.web.app";

function answers(table: Record<string, unknown>) {
  return vi.fn(async (url: string) => {
    if (!(url in table)) return new Response("not found", { status: 404 });
    const body = table[url];
    return typeof body === "string"
      ? new Response(body, { status: 200, headers: { "Content-Type": "text/html" } })
      : Response.json(body);
  });
}

describe("where the API is", () => {
  it("is the page's own origin without a runtime config, or when the server answers it with the app's HTML", async () => {
    expect(await discoverApiOrigin(PAGE, answers({}))).toBe(PAGE);
    expect(await discoverApiOrigin(PAGE, answers({ [`${PAGE}/dreamreel.json`]: "<!doctype html>" }))).toBe(PAGE);
  });

  it("is the fixed address the runtime config names, as an origin", async () => {
    const fetcher = answers({ [`${PAGE}/dreamreel.json`]: { api: "https://home.ngrok-free.app/ignored/path" } });
    expect(await discoverApiOrigin(PAGE, fetcher)).toBe("https://home.ngrok-free.app");
  });

  it("is read from the Firestore document the GPU server publishes", async () => {
    const document = addressDocumentUrl("dreamreel-demo", "web-key");
    expect(document).toBe("https://firestore.googleapis.com/v1/projects/dreamreel-demo/databases/(default)/documents/public/api?key=web-key");
    const fetcher = answers({
      [`${PAGE}/dreamreel.json`]: { firebase: { projectId: "dreamreel-demo", apiKey: "web-key" } },
      [document]: { name: "x", fields: { url: { stringValue: "https://1234.ngrok-free.app" }, online: { booleanValue: true } } },
    });
    expect(await discoverApiOrigin(PAGE, fetcher)).toBe("https://1234.ngrok-free.app");
  });

  it("says the server is offline when its tunnel is closed or the document is missing", async () => {
    expect(() => originInDocument({ fields: { url: { nullValue: null }, online: { booleanValue: false } } })).toThrow(ServerOffline);
    expect(() => originInDocument(null)).toThrow("The DreamReel server is offline right now");
    const fetcher = answers({ [`${PAGE}/dreamreel.json`]: { firebase: { projectId: "p", apiKey: "k" } } });
    await expect(discoverApiOrigin(PAGE, fetcher)).rejects.toThrow(ServerOffline);
  });

  it("never takes a script or relative address for the API", () => {
    expect(asOrigin("javascript:alert(1)")).toBeNull();
    expect(asOrigin("/api")).toBeNull();
    expect(asOrigin(42)).toBeNull();
    expect(originInDocument.bind(null, { fields: { url: { stringValue: "javascript:alert(1)" }, online: { booleanValue: true } } })).toThrow(ServerOffline);
  });
});

describe("links to the API's media", () => {
  it("stay as they are on the page's own origin and point at the API when it is elsewhere", async () => {
    const { apiIsCrossOrigin, apiUrl, setApiOrigin } = await import("./client");
    const own = location.origin;
    expect(apiUrl("/api/films/abc/video?exp=1&sig=2")).toBe("/api/films/abc/video?exp=1&sig=2");
    setApiOrigin("https://home.ngrok-free.app");
    try {
      expect(apiIsCrossOrigin()).toBe(true);
      expect(apiUrl("/api/films/abc/video?exp=1&sig=2")).toBe("https://home.ngrok-free.app/api/films/abc/video?exp=1&sig=2");
      expect(apiUrl("https://storage.example/signed")).toBe("https://storage.example/signed");
      expect(apiUrl(null)).toBeNull();
    } finally {
      setApiOrigin(own);
    }
    expect(apiIsCrossOrigin()).toBe(false);
  });
});

/** A fake API for tests: routes "METHOD /path" to JSON answers, recording every request. */
import { vi } from "vitest";

export interface Answer {
  status?: number;
  body?: unknown;
}

export type Handler = Answer | ((request: Request, body: unknown) => Answer | Promise<Answer>);

export interface Sent {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

export interface FakeApi {
  /** Every request made, in order. */
  sent: Sent[];
  /** Requests to one "METHOD /path". */
  calls(route: string): Sent[];
  /** Add or replace a route. */
  on(route: string, handler: Handler): void;
}

/** Replaces the global fetch with one that answers `routes` (404 JSON for anything else). */
export function fakeApi(routes: Record<string, Handler> = {}): FakeApi {
  const table = new Map(Object.entries(routes));
  const sent: Sent[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(new URL(String(input), location.href), init);
    const url = new URL(request.url);
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    const route = `${request.method} ${url.pathname}`;
    sent.push({ method: request.method, path: url.pathname, body, headers: request.headers });
    const handler = table.get(route);
    const answer = typeof handler === "function" ? await handler(request, body) : handler;
    const status = answer?.status ?? (answer ? 200 : 404);
    const payload = answer ? answer.body : { detail: `no fake route for ${route}` };
    return new Response(payload === undefined ? null : JSON.stringify(payload), {
      status, headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetch);
  return {
    sent,
    calls: (route) => sent.filter((s) => `${s.method} ${s.path}` === route),
    on: (route, handler) => { table.set(route, handler); },
  };
}

/** An answer that waits until `release()` is called (to see a form while it is sending). */
export function deferred(answer: Answer): { handler: Handler; release(): void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => { release = resolve; });
  return { handler: async () => { await gate; return answer; }, release: () => release() };
}

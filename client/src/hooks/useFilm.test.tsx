import { renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Fix } from "../api/types";
import { fakeApi } from "../test/api";
import { doneFilm, film } from "../test/fixtures";
import { isBusy, useFilm } from "./useFilm";

const ROUTE = "GET /api/films/f1";
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("useFilm", () => {
  it("polls while queued or running and stops when done", async () => {
    const answers = [film({ status: "queued" }), film({ status: "running" }), doneFilm()];
    const api = fakeApi({ [ROUTE]: () => ({ body: answers.shift() ?? doneFilm() }) });
    const { result } = renderHook(() => useFilm("f1", 5));
    await waitFor(() => expect(result.current.film?.status).toBe("done"));
    await pause(40);
    expect(api.calls(ROUTE)).toHaveLength(3);
  });

  it("tries again after a server error, but not after a 404", async () => {
    const answers = [{ status: 503, body: { detail: "busy" } }, { body: film({ status: "failed" }) }];
    const api = fakeApi({ [ROUTE]: () => answers.shift()! });
    const { result } = renderHook(() => useFilm("f1", 5));
    await waitFor(() => expect(result.current.film?.status).toBe("failed"));
    expect(result.current.error).toBeNull();
    expect(api.calls(ROUTE)).toHaveLength(2);

    const missing = fakeApi({ "GET /api/films/gone": { status: 404, body: { detail: "No such film" } } });
    const gone = renderHook(() => useFilm("gone", 5));
    await waitFor(() => expect(gone.result.current.error?.status).toBe(404));
    await pause(40);
    expect(missing.calls("GET /api/films/gone")).toHaveLength(1);
    expect(gone.result.current.error?.message).toBe("No such film");
  });

  it("counts a queued or running fix as busy", () => {
    const fix: Fix = { id: "x", stage: "music", note: "", status: "queued", created_at: "2025-01-01T00:00:00Z" };
    expect(isBusy(doneFilm())).toBe(false);
    expect(isBusy(doneFilm({ fixes: [fix] }))).toBe(true);
    expect(isBusy(doneFilm({ fixes: [{ ...fix, status: "running" }] }))).toBe(true);
    expect(isBusy(doneFilm({ fixes: [{ ...fix, status: "failed" }] }))).toBe(false);
  });
});

import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Fix, FilmQueue } from "../api/types";
import { deferred, fakeApi } from "../test/api";
import { doneFilm, film, SCENES } from "../test/fixtures";
import { renderAt } from "../test/render";
import FilmPage from "./FilmPage";

const ID = "dragon-bakery-1a2b3c4d";
const DETAIL = `GET /api/films/${ID}`;

function open(pollMs = 10) {
  renderAt(<FilmPage pollMs={pollMs} />, { path: "/films/:id", url: `/films/${ID}` });
}

describe("Film page while the film is made", () => {
  it("shows a progress bar per stage, with its count and note", async () => {
    fakeApi({ [DETAIL]: { body: film() } });
    open(60_000);
    const keyframes = await screen.findByRole("progressbar", { name: "Keyframes 7/24" });
    expect(keyframes).toHaveAttribute("value", "7");
    expect(keyframes).toHaveAttribute("max", "24");
    expect(screen.getByRole("progressbar", { name: "Script 1/1" })).toHaveAttribute("value", "1");
    expect(screen.getByRole("progressbar", { name: "Clips 0/24" })).toHaveAttribute("value", "0");
    expect(screen.getByText("Drawing scene 2")).toBeInTheDocument();
    const names = screen.getAllByRole("progressbar").map((p) => p.id);
    expect(names).toEqual(["stage-script", "stage-keyframes", "stage-clips"]);
    expect(screen.queryByTestId("film-video")).not.toBeInTheDocument();
  });

  it("shows keyframe thumbnails as they appear, polling until the film is done", async () => {
    const answers = [
      film(),
      film({ scenes: SCENES }),
      doneFilm(),
    ];
    const api = fakeApi({ [DETAIL]: () => ({ body: answers.shift() ?? doneFilm() }) });
    open(10);
    expect(await screen.findByRole("img", { name: "A dragon peeks into an empty shop" }))
      .toHaveAttribute("src", "/api/films/x/thumbs/s1a.jpg");
    expect(screen.getByRole("img", { name: "Villagers queue at the door" })).toBeInTheDocument();
    expect(screen.getByLabelText("Flour everywhere (not drawn yet)")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Scene 2: Opening day" })).toBeInTheDocument();

    expect(await screen.findByTestId("film-video")).toBeInTheDocument();
    const count = api.calls(DETAIL).length;
    expect(count).toBe(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(api.calls(DETAIL)).toHaveLength(count);  // no more polling once done
  });

  it("shows the error of a failed film and stops polling", async () => {
    const api = fakeApi({ [DETAIL]: { body: film({ status: "failed", error: "The music could not be made" }) } });
    open(10);
    expect(await screen.findByRole("alert")).toHaveTextContent("The music could not be made");
    await new Promise((r) => setTimeout(r, 50));
    expect(api.calls(DETAIL)).toHaveLength(1);
  });

  it("says when the film does not exist (404)", async () => {
    fakeApi({ [DETAIL]: { status: 404, body: { detail: "No such film" } } });
    open();
    expect(await screen.findByRole("heading", { name: "Film not found" })).toBeInTheDocument();
  });
});

describe("Film page: the place in the queue and the estimated times", () => {
  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  // 20 s past the minute, so the words hold while the test runs
  const queue = (over: Partial<FilmQueue> = {}): FilmQueue => ({
    position: 2, estimated_start: inSeconds(260), estimated_finish: inSeconds(740), measured_films: 5,
    updated_at: inSeconds(0), ...over,
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("says a waiting film's place and when it should start and be ready, from measured films", async () => {
    fakeApi({ [DETAIL]: { body: film({ queue: queue() }) } });
    open(60_000);
    const line = await screen.findByTestId("queue-line");
    expect(line).toHaveAttribute("role", "status");
    expect(line).toHaveTextContent(
      "Waiting to start: 2nd in the queue · starts in about 4 min, ready in about 12 min"
      + " (estimated from 5 films made on this server)");
    expect(screen.getByRole("heading", { name: "Waiting to start…" })).toBeInTheDocument();
    // its status is running while its run waits: the badge says it waits, in words
    expect(screen.getByText("Queued")).toBeInTheDocument();
    expect(screen.queryByText("Being made")).not.toBeInTheDocument();
  });

  it("says the next film in line, and a first guess as such", async () => {
    fakeApi({ [DETAIL]: { body: film({ queue: queue({ position: 1, measured_films: 0 }) }) } });
    open(60_000);
    expect(await screen.findByTestId("queue-line")).toHaveTextContent(
      "Waiting to start: next in the queue · starts in about 4 min, ready in about 12 min"
      + " (a first guess: no film of this kind has been timed here yet)");
  });

  it("says when a film being made should be ready, and follows the estimate as it is refreshed", async () => {
    const answers = [
      film({ queue: queue({ position: 0, estimated_start: inSeconds(-60), estimated_finish: inSeconds(380) }) }),
      film({ queue: queue({ position: 0, estimated_start: inSeconds(-60), estimated_finish: inSeconds(140),
        measured_films: 6 }) }),
    ];
    fakeApi({ [DETAIL]: () => ({ body: answers.length > 1 ? answers.shift() : answers[0] }) });
    open(10);
    expect(await screen.findByTestId("queue-line")).toHaveTextContent(
      /^Being made · ready in about (6|2) min \(estimated from (5|6) films made on this server\)$/);
    await waitFor(() => expect(screen.getByTestId("queue-line")).toHaveTextContent(
      "Being made · ready in about 2 min (estimated from 6 films made on this server)"));
    expect(screen.getByRole("heading", { name: "Making your film" })).toBeInTheDocument();
    expect(screen.getByText("Being made", { selector: ".badge" })).toBeInTheDocument();
  });

  it("counts down as time passes, between estimates", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setInterval", "clearInterval"] });
    fakeApi({ [DETAIL]: { body: film({ queue: queue() }) } });
    open(60_000);
    const line = await screen.findByTestId("queue-line");
    expect(line).toHaveTextContent("starts in about 4 min, ready in about 12 min");
    act(() => {
      vi.advanceTimersByTime(120_000);
    });
    expect(line).toHaveTextContent("starts in about 2 min, ready in about 10 min");
  });

  it("says nothing of a queue when there is no estimate, nor once the film is done", async () => {
    fakeApi({ [DETAIL]: { body: film({ queue: null }) } });
    open(60_000);
    await screen.findByRole("progressbar", { name: "Keyframes 7/24" });
    expect(screen.queryByTestId("queue-line")).not.toBeInTheDocument();
    expect(screen.queryByText(/in the queue|ready in about/)).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Making your film" })).toBeInTheDocument();
  });

  it("shows no queue line on a done film", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm({ queue: queue() }) } });
    open(60_000);
    await screen.findByTestId("film-video");
    expect(screen.queryByTestId("queue-line")).not.toBeInTheDocument();
  });
});

describe("Film page when the film is done", () => {
  it("plays the film with poster, subtitles track and a download link", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm() } });
    open();
    const video = await screen.findByTestId("film-video");
    expect(screen.getByRole("heading", { level: 1, name: "The Dragon's Bakery" })).toBeInTheDocument();
    expect(video.tagName).toBe("VIDEO");
    expect(video).toHaveAttribute("controls");
    expect(video).toHaveAttribute("preload", "metadata");
    expect(video).toHaveAttribute("src", `/api/films/${ID}/video?exp=1&sig=abc`);
    expect(video).toHaveAttribute("poster", `/api/films/${ID}/poster?exp=1&sig=abc`);
    const track = video.querySelector("track")!;
    expect(track).toHaveAttribute("kind", "subtitles");
    expect(track).toHaveAttribute("src", `/api/films/${ID}/subtitles?exp=1&sig=abc`);
    expect(track).toHaveAttribute("srclang", "en");
    expect(track).toHaveAttribute("label", "English");
    expect(track).toHaveAttribute("default");
    const download = screen.getByRole("link", { name: "Download" });
    expect(download).toHaveAttribute("href", `/api/films/${ID}/video?exp=1&sig=abc`);
    expect(download).toHaveAttribute("download");
    const srt = screen.getByRole("link", { name: "Subtitles (.srt)" });
    expect(srt).toHaveAttribute("href", `/api/films/${ID}/srt?exp=1&sig=abc`);
    expect(srt).toHaveAttribute("download", `${ID}.srt`);
    const editable = screen.getByRole("link", { name: "Editable timeline (.otioz)" });
    expect(editable).toHaveAttribute("href", `/api/films/${ID}/timeline?exp=1&sig=abc`);
    expect(editable).toHaveAttribute("download", `${ID}.otioz`);
  });

  it("labels the subtitles track in the film's language", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm({ language: "de" }) } });
    open();
    const track = (await screen.findByTestId("film-video")).querySelector("track")!;
    expect(track).toHaveAttribute("srclang", "de");
    expect(track).toHaveAttribute("label", "Deutsch");
  });

  it("shows no subtitles track when they are burned into the picture", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm({ subtitles: "burned" }) } });
    open();
    expect((await screen.findByTestId("film-video")).querySelector("track")).toBeNull();
    expect(screen.getByRole("link", { name: "Subtitles (.srt)" })).toBeInTheDocument();
  });

  it("shares and unshares with POST and DELETE /share", async () => {
    const api = fakeApi({
      [DETAIL]: { body: doneFilm() },
      [`POST /api/films/${ID}/share`]: { body: { id: ID, shared: true } },
      [`DELETE /api/films/${ID}/share`]: { body: { id: ID, shared: false } },
    });
    open();
    const user = userEvent.setup();
    const toggle = await screen.findByRole("switch", { name: "Share in the gallery" });
    expect(toggle).not.toBeChecked();

    await user.click(toggle);
    await waitFor(() => expect(toggle).toBeChecked());
    expect(api.calls(`POST /api/films/${ID}/share`)).toHaveLength(1);
    expect(screen.getByText(/anyone can watch/i)).toBeInTheDocument();

    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(api.calls(`DELETE /api/films/${ID}/share`)).toHaveLength(1);
  });

  it("keeps the toggle as it was when sharing fails", async () => {
    fakeApi({
      [DETAIL]: { body: doneFilm() },
      [`POST /api/films/${ID}/share`]: { status: 500, body: { detail: "Storage is down" } },
    });
    open();
    const user = userEvent.setup();
    const toggle = await screen.findByRole("switch", { name: "Share in the gallery" });
    await user.click(toggle);
    expect(await screen.findByRole("alert")).toHaveTextContent("Storage is down");
    expect(toggle).not.toBeChecked();
  });

  it("offers no share toggle or fix form on someone else's shared film", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm({ mine: false, shared: true }) } });
    open();
    await screen.findByTestId("film-video");
    expect(screen.queryByRole("switch")).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Fix a part" })).not.toBeInTheDocument();
  });
});

describe("Fix a part", () => {
  const FIXES = `POST /api/films/${ID}/fixes`;
  const fix = (over: Partial<Fix> = {}): Fix => ({
    id: "fix-1", stage: "keyframes", scene: null, shot: "s1b", note: "More flour", status: "queued",
    error: null, created_at: "2025-01-01T11:00:00Z", ...over,
  });

  async function openDone(routes = {}) {
    const api = fakeApi({ [DETAIL]: { body: doneFilm() }, ...routes });
    open(10);
    const form = await screen.findByRole("form", { name: "Fix a part" });
    return { api, form, user: userEvent.setup() };
  }

  it("sends a shot's keyframes with the note", async () => {
    const { api, form, user } = await openDone({ [FIXES]: { status: 202, body: fix() } });
    const shot = within(form).getByLabelText("Shot");
    expect(within(shot).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "The whole scene", "Shot 1: A dragon peeks into an empty shop", "Shot 2: Flour everywhere",
    ]);
    await user.selectOptions(shot, "s1b");
    await user.type(within(form).getByLabelText("Note (optional)"), "More flour");
    expect(within(form).getByText("10 / 300")).toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    await waitFor(() => expect(api.calls(FIXES)).toHaveLength(1));
    expect(api.calls(FIXES)[0].body).toEqual({ stage: "keyframes", scene: null, shot: "s1b", note: "More flour" });
  });

  it("sends a whole scene's clips, a scene's narration, and the music", async () => {
    const { api, form, user } = await openDone({ [FIXES]: { status: 202, body: fix() } });
    const submit = () => user.click(within(form).getByRole("button", { name: "Redo this part" }));

    await user.selectOptions(within(form).getByLabelText("What to redo"), "clips");
    await user.selectOptions(within(form).getByLabelText("Scene"), "2");
    await submit();
    await waitFor(() => expect(api.calls(FIXES)).toHaveLength(1));

    await user.selectOptions(within(form).getByLabelText("What to redo"), "narration");
    expect(within(form).queryByLabelText("Shot")).not.toBeInTheDocument();
    await submit();
    await waitFor(() => expect(api.calls(FIXES)).toHaveLength(2));

    await user.selectOptions(within(form).getByLabelText("What to redo"), "music");
    expect(within(form).queryByLabelText("Scene")).not.toBeInTheDocument();
    await submit();
    await waitFor(() => expect(api.calls(FIXES)).toHaveLength(3));

    expect(api.calls(FIXES).map((c) => c.body)).toEqual([
      { stage: "clips", scene: 2, shot: null, note: "" },
      { stage: "narration", scene: 2, shot: null, note: "" },
      { stage: "music", scene: null, shot: null, note: "" },
    ]);
  });

  it("picks a shot by its thumbnail", async () => {
    const { api, form, user } = await openDone({ [FIXES]: { status: 202, body: fix() } });
    const pick = within(form).getByRole("button", { name: "Shot 1: A dragon peeks into an empty shop" });
    await user.click(pick);
    expect(pick).toHaveAttribute("aria-pressed", "true");
    expect(within(form).getByLabelText("Shot")).toHaveValue("s1a");
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    await waitFor(() => expect(api.calls(FIXES)[0]?.body).toMatchObject({ scene: null, shot: "s1a" }));
  });

  it("refuses a note over 300 characters without sending", async () => {
    const { api, form, user } = await openDone();
    const note = within(form).getByLabelText("Note (optional)");
    await user.click(note);
    await user.paste("x".repeat(301));
    expect(note).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByText(/at most 300/)).toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    expect(api.calls(FIXES)).toHaveLength(0);
  });

  it("lists the fix and polls until it is done", async () => {
    const gate = deferred({ status: 202, body: fix() });
    const { api, form, user } = await openDone({ [FIXES]: gate.handler });
    const polls = [doneFilm({ fixes: [fix({ status: "running" })] }), doneFilm({ fixes: [fix({ status: "done" })] })];
    api.on(DETAIL, () => ({ body: polls.shift() ?? doneFilm({ fixes: [fix({ status: "done" })] }) }));

    const video = screen.getByTestId("film-video");
    await user.selectOptions(within(form).getByLabelText("Shot"), "s1b");
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    expect(within(form).getByRole("button", { name: "Sending…" })).toBeDisabled();
    gate.release();

    const list = await screen.findByRole("region", { name: "Fixes" });
    expect(await within(form).findByText(/a fix is under way/i)).toBeInTheDocument();
    expect(within(form).getByRole("button", { name: "Redo this part" })).toBeDisabled();
    expect(video).toHaveAttribute("src", `/api/films/${ID}/video?exp=1&sig=abc`);
    await waitFor(() => expect(within(list).getByText("Ready")).toBeInTheDocument());
    // The new version of the film is loaded past the browser's cache.
    expect(screen.getByTestId("film-video")).toHaveAttribute("src", `/api/films/${ID}/video?exp=1&sig=abc&v=1`);
    expect(within(form).getByRole("button", { name: "Redo this part" })).toBeEnabled();
    expect(within(list).getByText(/Keyframes, shot s1b/)).toBeInTheDocument();
    const count = api.calls(DETAIL).length;
    expect(count).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 60));
    expect(api.calls(DETAIL)).toHaveLength(count);
  });

  it("shows a 409 (film still being made) in an alert", async () => {
    const { form, user } = await openDone({ [FIXES]: { status: 409, body: { detail: "The film is still being made" } } });
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The film is still being made");
  });

  it("shows a 422 for an unknown shot under the shot field", async () => {
    const { form, user } = await openDone({
      [FIXES]: { status: 422, body: { detail: [{ field: "shot", message: "no shot s1b in this film" }] } },
    });
    await user.selectOptions(within(form).getByLabelText("Shot"), "s1b");
    await user.click(within(form).getByRole("button", { name: "Redo this part" }));
    expect(await within(form).findByText("no shot s1b in this film")).toHaveAttribute("id", "fix-shot-error");
    expect(within(form).getByLabelText("Shot")).toHaveAttribute("aria-invalid", "true");
  });
});

describe("Deleting a film", () => {
  it("asks, deletes the film through the API and goes back to my films", async () => {
    const api = fakeApi({ [DETAIL]: { body: doneFilm({ mine: true }) },
      [`DELETE /api/films/${ID}`]: { body: { id: ID, deleted: true } } });
    open(60_000);
    await userEvent.click(await screen.findByRole("button", { name: "Delete this film" }));
    expect(api.calls(`DELETE /api/films/${ID}`)).toHaveLength(0);
    await userEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/films"));
    expect(api.calls(`DELETE /api/films/${ID}`)).toHaveLength(1);
  });

  it("is offered only to the film's owner", async () => {
    fakeApi({ [DETAIL]: { body: doneFilm({ mine: false, shared: true }) } });
    open(60_000);
    await screen.findByRole("heading", { level: 1 });
    expect(screen.queryByRole("button", { name: "Delete this film" })).not.toBeInTheDocument();
  });
});

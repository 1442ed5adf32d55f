import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../test/api";
import { summary } from "../test/fixtures";
import { renderAt } from "../test/render";
import MyFilms from "./MyFilms";

describe("My films", () => {
  it("lists my films: a poster when done, a status badge while made, links to each page", async () => {
    fakeApi({
      "GET /api/films": {
        body: { films: [
          summary({ shared: true }),
          summary({ id: "robot-garden-77", status: "running", title: null, theme: "A robot tends a garden",
            urls: { video: null, poster: null, subtitles: null } }),
        ] },
      },
    });
    renderAt(<MyFilms />, { path: "/films" });
    const cards = await screen.findAllByRole("listitem");
    expect(cards).toHaveLength(2);
    expect(within(cards[0]).getByRole("link", { name: "The Dragon's Bakery" }))
      .toHaveAttribute("href", "/films/dragon-bakery-1a2b3c4d");
    expect(cards[0].querySelector("img")).toHaveAttribute("src", expect.stringContaining("/poster"));
    expect(within(cards[0]).getByText("Ready")).toBeInTheDocument();
    expect(within(cards[0]).getByText("Shared")).toBeInTheDocument();

    expect(within(cards[1]).getByRole("link", { name: "A robot tends a garden" }))
      .toHaveAttribute("href", "/films/robot-garden-77");
    expect(within(cards[1]).getByText("Being made")).toBeInTheDocument();
    expect(cards[1].querySelector("img")).toBeNull();
  });

  it("says which films wait in the queue, and where", async () => {
    const queue = { position: 2, estimated_start: null, estimated_finish: null, measured_films: 0,
      updated_at: "2025-01-01T10:00:00Z" };
    fakeApi({
      "GET /api/films": {
        body: { films: [
          summary({ id: "waiting-1", status: "running", title: "Waiting", queue }),
          summary({ id: "made-1", status: "running", title: "Made", queue: { ...queue, position: 0 } }),
        ] },
      },
    });
    renderAt(<MyFilms />, { path: "/films" });
    const cards = await screen.findAllByRole("listitem");
    expect(within(cards[0]).getByText("Queued")).toBeInTheDocument();
    expect(within(cards[0]).getByText(/2nd in the queue/)).toBeInTheDocument();
    expect(within(cards[1]).getByText("Being made")).toBeInTheDocument();
    expect(within(cards[1]).queryByText(/in the queue/)).not.toBeInTheDocument();
  });

  it("invites a first film when there is none", async () => {
    fakeApi({ "GET /api/films": { body: { films: [] } } });
    renderAt(<MyFilms />, { path: "/films" });
    expect(await screen.findByRole("link", { name: /make your first one/i })).toHaveAttribute("href", "/");
  });
});

describe("Deleting all my films", () => {
  it("deletes every film of mine after asking, then shows the empty list", async () => {
    let films = [summary(), summary({ id: "robot-garden-77" })];
    const api = fakeApi({
      "GET /api/films": () => ({ body: { films } }),
      "DELETE /api/me": () => { films = []; return { body: { films_deleted: 2 } }; },
    });
    renderAt(<MyFilms />, { path: "/films" });
    fireEvent.click(await screen.findByRole("button", { name: "Delete all my films" }));
    expect(api.calls("DELETE /api/me")).toHaveLength(0);
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(await screen.findByText(/You have not made a film yet/)).toBeInTheDocument();
    expect(api.calls("DELETE /api/me")).toHaveLength(1);
  });
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeApi } from "../test/api";
import { galleryFilm } from "../test/fixtures";
import { renderAt } from "../test/render";
import Gallery from "./Gallery";

describe("Gallery", () => {
  it("shows each shared film with its poster, title, genre and style, linking to its page", async () => {
    fakeApi({
      "GET /api/gallery": {
        body: { films: [
          galleryFilm(),
          galleryFilm({ id: "space-cats-0011", title: null, theme: "Cats in space", genre: "sci-fi",
            style: "watercolor", urls: { video: null, poster: null, subtitles: null } }),
        ] },
      },
    });
    renderAt(<Gallery />, { path: "/gallery" });
    const cards = await screen.findAllByRole("listitem");
    expect(cards).toHaveLength(2);

    const first = within(cards[0]);
    const link = first.getByRole("link", { name: "The Keeper's Map" });
    expect(link).toHaveAttribute("href", "/films/lighthouse-9f8e7d6c");
    expect(cards[0].querySelector("img")).toHaveAttribute("src", "/api/films/lighthouse-9f8e7d6c/poster");
    expect(first.getByText(/Mystery · Noir · 6 min/)).toBeInTheDocument();

    const second = within(cards[1]);
    expect(second.getByRole("link", { name: "Cats in space" })).toHaveAttribute("href", "/films/space-cats-0011");
    expect(second.getByText(/Sci-fi · Watercolor/)).toBeInTheDocument();
    expect(cards[1].querySelector("img")).toBeNull();
  });

  it("shows older films a page at a time", async () => {
    const api = fakeApi({
      "GET /api/gallery": (request) => {
        const cursor = new URL(request.url).searchParams.get("cursor");
        return cursor === "page-2"
          ? { body: { films: [galleryFilm({ id: "old-1", title: "The Old One" })], next_cursor: null } }
          : { body: { films: [galleryFilm()], next_cursor: "page-2" } };
      },
    });
    renderAt(<Gallery />, { path: "/gallery" });
    await screen.findByRole("link", { name: "The Keeper's Map" });
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Show older films" }));
    expect(await screen.findByRole("link", { name: "The Old One" })).toHaveAttribute("href", "/films/old-1");
    expect(screen.queryByRole("button", { name: "Show older films" })).not.toBeInTheDocument();
    expect(api.calls("GET /api/gallery")).toHaveLength(2);
  });

  it("says when nothing is shared yet", async () => {
    fakeApi({ "GET /api/gallery": { body: { films: [] } } });
    renderAt(<Gallery />, { path: "/gallery" });
    expect(await screen.findByText(/no film has been shared yet/i)).toBeInTheDocument();
  });

  it("shows a load error in an alert", async () => {
    fakeApi({ "GET /api/gallery": { status: 503, body: { detail: "Firestore is unavailable" } } });
    renderAt(<Gallery />, { path: "/gallery" });
    expect(await screen.findByRole("alert")).toHaveTextContent("Firestore is unavailable");
  });
});

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { deferred, fakeApi } from "../test/api";
import { MULTILINGUAL_OPTIONS, OPTIONS } from "../test/fixtures";
import { renderAt } from "../test/render";
import NewFilm from "./NewFilm";

async function openForm(routes = {}) {
  const api = fakeApi({ "GET /api/options": { body: OPTIONS }, ...routes });
  renderAt(<NewFilm />);
  await screen.findByRole("heading", { name: /make a short film/i });
  return api;
}

describe("New film form", () => {
  it("renders genres, styles, lengths and aspects from /api/options", async () => {
    await openForm();
    const genres = screen.getByRole("radiogroup", { name: "Genre" });
    const chips = within(genres).getAllByRole("radio");
    expect(chips.map((c) => c.textContent)).toEqual(
      ["FantasyEnchantments and hidden valleys", "MysteryClues and secrets", "Sci-fiShips and signals"]);
    expect(within(genres).getByRole("radio", { name: "Mystery" })).toHaveAccessibleDescription("Clues and secrets");
    expect(chips[0]).toHaveAttribute("aria-checked", "true");

    const styles = screen.getByRole("radiogroup", { name: "Visual style" });
    const noir = within(styles).getByRole("radio", { name: "Noir" });
    expect(within(noir).getByRole("img")).toHaveAttribute("src", "/api/styles/noir.png");
    expect(within(noir).getByRole("img")).toHaveAttribute("alt", "Example of the Noir style");

    const length = screen.getByLabelText("Length");
    expect(within(length).getAllByRole("option").map((o) => o.textContent))
      .toEqual(["5 minutes", "6 minutes", "7 minutes", "8 minutes", "9 minutes", "10 minutes"]);
    expect(length).toHaveValue("5");
    expect(screen.getByRole("radio", { name: /16:9/ })).toBeChecked();
    expect(screen.getByRole("radio", { name: /9:16/ })).not.toBeChecked();
  });

  it("moves the genre choice with the arrow keys", async () => {
    await openForm();
    const user = userEvent.setup();
    const fantasy = screen.getByRole("radio", { name: "Fantasy" });
    expect(fantasy).toHaveAttribute("tabindex", "0");
    fantasy.focus();
    await user.keyboard("{ArrowRight}");
    const mystery = screen.getByRole("radio", { name: "Mystery" });
    expect(mystery).toHaveAttribute("aria-checked", "true");
    expect(mystery).toHaveFocus();
    expect(fantasy).toHaveAttribute("tabindex", "-1");
  });

  it("counts the theme's characters as they are typed", async () => {
    await openForm();
    const user = userEvent.setup();
    expect(screen.getByText("0 / 500")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Theme"), "A shy dragon");
    expect(screen.getByText("12 / 500")).toBeInTheDocument();
  });

  it("shows inline errors under the theme, linked with aria-describedby", async () => {
    await openForm();
    const user = userEvent.setup();
    const theme = screen.getByLabelText("Theme");
    await user.type(theme, "ab");
    await user.tab();
    expect(theme).toHaveAttribute("aria-invalid", "true");
    expect(theme).toHaveAccessibleDescription(expect.stringMatching(/at least 3 characters/));
    expect(document.getElementById("theme-error")).toHaveTextContent(/at least 3 characters/);

    await user.type(theme, "c");
    expect(theme).toHaveAttribute("aria-invalid", "false");
    expect(document.getElementById("theme-error")).toBeEmptyDOMElement();

    await user.clear(theme);
    await user.click(theme);
    await user.paste("a".repeat(501));
    expect(screen.getByText("501 / 500")).toBeInTheDocument();
    expect(document.getElementById("theme-error")).toHaveTextContent(/at most 500 characters/);
  });

  it("does not send a form with an empty theme", async () => {
    const api = await openForm();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Make my film" }));
    expect(document.getElementById("theme-error")).toHaveTextContent(/describe your film/i);
    expect(screen.getByLabelText("Theme")).toHaveFocus();
    expect(api.calls("POST /api/films")).toHaveLength(0);
  });

  it("sends the chosen fields, disables submit while sending, and goes to the film's page on 201", async () => {
    const answer = deferred({ status: 201, body: { id: "dragon-1", status: "queued", created_at: "2025-01-01T00:00:00Z" } });
    const api = await openForm({ "POST /api/films": answer.handler });
    const user = userEvent.setup();
    await user.click(screen.getByRole("radio", { name: "Mystery" }));
    await user.type(screen.getByLabelText("Theme"), "  A lighthouse keeper finds a map  ");
    await user.click(screen.getByRole("radio", { name: "Noir" }));
    await user.selectOptions(screen.getByLabelText("Length"), "7");
    await user.click(screen.getByRole("radio", { name: /9:16/ }));
    await user.click(screen.getByRole("button", { name: "Make my film" }));

    const sending = await screen.findByRole("button", { name: "Sending…" });
    expect(sending).toBeDisabled();
    expect(api.calls("POST /api/films")[0].body).toEqual({
      genre: "mystery", theme: "A lighthouse keeper finds a map", style: "noir", minutes: 7, aspect: "9:16",
      language: "en", subtitles: "soft",
    });

    answer.release();
    await waitFor(() => expect(screen.getByTestId("location")).toHaveTextContent("/films/dragon-1"));
  });

  it("offers English alone, saying why, when the server's writer writes only English", async () => {
    await openForm();
    const language = screen.getByLabelText("Language");
    expect(within(language).getAllByRole("option").map((o) => o.textContent)).toEqual(["English"]);
    expect(language).toBeDisabled();
    expect(language).toHaveAccessibleDescription(expect.stringMatching(/writes English only/));
  });

  it("sends the language and burned subtitles when chosen", async () => {
    const answer = deferred({ status: 201, body: { id: "karte-1", status: "queued", created_at: "2025-01-01T00:00:00Z" } });
    const api = fakeApi({ "GET /api/options": { body: MULTILINGUAL_OPTIONS }, "POST /api/films": answer.handler });
    renderAt(<NewFilm />);
    const user = userEvent.setup();
    const language = await screen.findByLabelText("Language");
    expect(within(language).getAllByRole("option").map((o) => o.textContent)).toEqual(["English", "Deutsch (German)"]);
    await user.type(screen.getByLabelText("Theme"), "Eine Karte, die sich neu zeichnet");
    await user.selectOptions(language, "de");
    await user.click(screen.getByRole("radio", { name: /burned into the picture/i }));
    await user.click(screen.getByRole("button", { name: "Make my film" }));
    await screen.findByRole("button", { name: "Sending…" });
    expect(api.calls("POST /api/films")[0].body).toMatchObject({ language: "de", subtitles: "burned" });
    answer.release();
  });

  it("shows a 422 answer's messages under the matching fields", async () => {
    await openForm({
      "POST /api/films": {
        status: 422,
        body: { detail: [
          { field: "theme", message: "must not contain control characters" },
          { field: "style", message: "Input should be 'storybook' or 'noir'" },
        ] },
      },
    });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Theme"), "A fine theme");
    await user.click(screen.getByRole("button", { name: "Make my film" }));

    expect(await screen.findByText("must not contain control characters")).toHaveAttribute("id", "theme-error");
    expect(screen.getByLabelText("Theme")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByText("Input should be 'storybook' or 'noir'")).toHaveAttribute("id", "style-error");
    expect(screen.getByRole("radiogroup", { name: "Visual style" })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("button", { name: "Make my film" })).toBeEnabled();
    expect(screen.getByTestId("location")).toHaveTextContent(/^\/$/);
  });

  it("shows other errors in the alert region", async () => {
    await openForm({ "POST /api/films": { status: 401, body: { detail: "Sign in first" } } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Theme"), "A fine theme");
    await user.click(screen.getByRole("button", { name: "Make my film" }));
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Sign in first"));
  });

  it("says so when the options cannot be loaded", async () => {
    fakeApi({ "GET /api/options": { status: 500, body: { detail: "Something went wrong on our side" } } });
    renderAt(<NewFilm />);
    expect(await screen.findByRole("alert")).toHaveTextContent(/could not be loaded: Something went wrong/);
  });
});

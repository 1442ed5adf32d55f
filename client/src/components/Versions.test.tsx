import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { FilmVersion } from "../api/types";
import { Versions } from "./Versions";

function version(overrides: Partial<FilmVersion>): FilmVersion {
  return {
    number: 1, status: "passed", created_at: "2025-01-01T10:00:00Z", duration: 300.4, playing: false,
    failed_checks: [], reason: null, video: null, ...overrides,
  };
}

describe("Versions", () => {
  it("lists the cuts newest first, marks the one playing and says why one failed", () => {
    render(<Versions versions={[
      version({ number: 3, status: "failed", failed_checks: ["no_clipping"], reason: "no_clipping: true peak -0.2 dBTP" }),
      version({ number: 2, playing: true, video: "/api/films/f/versions/2/video?exp=1&sig=a" }),
      version({ number: 1, video: "/api/films/f/versions/1/video?exp=1&sig=b" }),
    ]} />);
    const items = screen.getAllByRole("listitem");
    expect(items.map((item) => within(item).getByText(/^Version \d$/).textContent)).toEqual(
      ["Version 3", "Version 2", "Version 1"]);
    expect(items[0]).toHaveTextContent("Not shown");
    expect(items[0]).toHaveTextContent("no_clipping: true peak -0.2 dBTP");
    expect(items[1]).toHaveTextContent("Playing");
    expect(items[1]).toHaveAttribute("aria-current", "true");
    expect(within(items[1]).queryByRole("link")).toBeNull();
    expect(within(items[2]).getByRole("link", { name: "Watch version 1" }))
      .toHaveAttribute("href", "/api/films/f/versions/1/video?exp=1&sig=b");
    expect(items[2]).toHaveTextContent("300 s");
  });

  it("shows a cut being checked, and nothing for a film made before versions", () => {
    const { container, rerender } = render(<Versions versions={[version({ status: "checking", duration: null })]} />);
    expect(screen.getByText("Checking")).toBeInTheDocument();
    expect(screen.getByRole("listitem")).toHaveTextContent("Being checked");
    rerender(<Versions versions={[]} />);
    expect(container).toBeEmptyDOMElement();
  });
});

import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { DeleteButton } from "./DeleteButton";

describe("DeleteButton", () => {
  it("asks before deleting, and deletes only on the second click", async () => {
    const remove = vi.fn(async () => ({}));
    const onDeleted = vi.fn();
    render(<DeleteButton label="Delete this film" question="Delete it?" remove={remove} onDeleted={onDeleted} />);
    fireEvent.click(screen.getByRole("button", { name: "Delete this film" }));
    expect(remove).not.toHaveBeenCalled();
    expect(screen.getByText(/Delete it\? This cannot be undone/)).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    expect(screen.getByRole("button", { name: "Delete this film" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Delete this film" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    await vi.waitFor(() => expect(onDeleted).toHaveBeenCalledOnce());
    expect(remove).toHaveBeenCalledOnce();
  });

  it("says in words when the server refused, and keeps the page", async () => {
    const remove = vi.fn(async () => { throw new ApiError(404, "No such film"); });
    const onDeleted = vi.fn();
    render(<DeleteButton label="Delete this film" question="Delete it?" remove={remove} onDeleted={onDeleted} />);
    fireEvent.click(screen.getByRole("button", { name: "Delete this film" }));
    fireEvent.click(screen.getByRole("button", { name: "Yes, delete" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Nothing was deleted");
    expect(onDeleted).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from "vitest";
import { ApiError, fieldMessages } from "./errors";

describe("fieldMessages", () => {
  it("maps a 422 detail array to field -> message", () => {
    expect(fieldMessages([
      { field: "theme", message: "must be at most 500 characters" },
      { field: "genre", message: "Input should be 'fantasy' or 'mystery'" },
    ])).toEqual({
      theme: "must be at most 500 characters",
      genre: "Input should be 'fantasy' or 'mystery'",
    });
  });

  it("joins two messages for one field and ignores what is not a field error", () => {
    expect(fieldMessages([
      { field: "theme", message: "a" }, { field: "theme", message: "b" }, "junk", { field: 3 },
    ])).toEqual({ theme: "a; b" });
  });

  it("gives nothing for a text detail", () => {
    expect(fieldMessages("Not found")).toEqual({});
  });
});

describe("ApiError", () => {
  it("uses a text detail as its message", () => {
    expect(new ApiError(409, "The film is still being made").message).toBe("The film is still being made");
  });

  it("splits known fields from the rest", () => {
    const error = new ApiError(422, [
      { field: "theme", message: "too short" }, { field: "body", message: "name a scene or a shot" },
      { field: "seed", message: "is not a field of this form" },
    ]);
    expect(error.split(["theme"])).toEqual({
      fields: { theme: "too short" },
      other: "name a scene or a shot; seed: is not a field of this form",
    });
  });

  it("describes an unreachable server", () => {
    expect(new ApiError(0, undefined).message).toMatch(/cannot reach/i);
  });
});

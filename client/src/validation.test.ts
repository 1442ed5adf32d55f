import { describe, expect, it } from "vitest";
import { charCount, validateNote, validateTheme } from "./validation";

describe("validateTheme", () => {
  it("refuses an empty theme", () => {
    expect(validateTheme("")).toMatch(/describe your film/i);
  });

  it("refuses a theme of spaces only", () => {
    expect(validateTheme("   \t  ")).toMatch(/describe your film/i);
  });

  it("refuses 2 characters, even padded with spaces", () => {
    expect(validateTheme("ab")).toMatch(/at least 3/);
    expect(validateTheme("   ab   ")).toMatch(/at least 3/);
  });

  it("accepts 3 characters after trimming", () => {
    expect(validateTheme("  abc  ")).toBeNull();
  });

  it("accepts 500 characters and refuses 501", () => {
    expect(validateTheme("a".repeat(500))).toBeNull();
    expect(validateTheme("a".repeat(501))).toMatch(/at most 500/);
  });

  it("does not count spaces at the ends toward the maximum", () => {
    expect(validateTheme(`  ${"a".repeat(500)}  `)).toBeNull();
  });

  it("refuses text that hides or reorders itself, and counts only visible characters", () => {
    expect(validateTheme("\u200b\u200b\u200b\u200b")).toMatch(/at least 3 visible characters/);
    expect(validateTheme("A map \u202egnp.exe")).toMatch(/reorder the text/);
    expect(validateTheme("A map \u0378 here")).toMatch(/not assigned/);
    expect(validateTheme("🐉🍞🏔")).toBeNull();
    expect(validateNote("\u200b\u200b\u200b")).toMatch(/at least 3 visible characters/);
    expect(validateNote("")).toBeNull();
  });

  it("refuses control characters", () => {
    expect(validateTheme("a dragon\u0007 bakes")).toMatch(/control characters/);
    expect(validateTheme("a dragon\u0000 bakes")).toMatch(/control characters/);
    expect(validateTheme("private \uE000 use")).toMatch(/control characters/);
    expect(validateTheme("lone \uD800 surrogate")).toMatch(/control characters/);
  });

  it("refuses line breaks inside the theme (they are control characters to the API)", () => {
    expect(validateTheme("one line\nand another")).toMatch(/line breaks/);
  });

  it("accepts non-Latin text and emoji, counting code points", () => {
    expect(validateTheme("龍がパン屋を開く")).toBeNull();
    expect(validateTheme("Дракон открывает пекарню")).toBeNull();
    expect(validateTheme("🐉🥐🏔")).toBeNull();
    expect(charCount("🐉🥐")).toBe(2);
    expect(validateTheme("🐉".repeat(500))).toBeNull();
    expect(validateTheme("🐉".repeat(501))).toMatch(/at most 500/);
  });

  it("uses the limits it is given", () => {
    expect(validateTheme("abcd", { min: 5 })).toMatch(/at least 5/);
    expect(validateTheme("abcdef", { max: 5 })).toMatch(/at most 5/);
  });
});

describe("validateNote", () => {
  it("allows an empty note and up to 300 characters", () => {
    expect(validateNote("")).toBeNull();
    expect(validateNote("x".repeat(300))).toBeNull();
    expect(validateNote("x".repeat(301))).toMatch(/at most 300/);
  });

  it("refuses control characters", () => {
    expect(validateNote("more \u001b light")).toMatch(/control characters/);
  });
});

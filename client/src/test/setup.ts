import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { resetOptionsCache } from "../hooks/useOptions";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  resetOptionsCache();
});

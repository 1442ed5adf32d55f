import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The API serves dist/ at `/` with an SPA fallback, so deep links such as /films/abc load
// index.html there: asset URLs must be rooted at `/` (a `./` base would resolve under /films/).
export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    proxy: { "/api": "http://127.0.0.1:8000" },
  },
  build: { outDir: "dist", emptyOutDir: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});

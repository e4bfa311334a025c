import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

/** The web benchmarks (bench/*.bench.ts): the same app and browser as the browser tests; they print figures. */
export default defineConfig({ ...base, testDir: "./bench", testMatch: /.*\.bench\.ts/, timeout: 300_000 });

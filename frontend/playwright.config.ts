import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests against the whole app: `python -m procus_devstack dev` (API + SPA from dist/, embedded PostgreSQL, worker,
 * LiveKit, fake Paystack, mail catcher, S3) on its usual ports, with its data in a fresh folder. Run them
 * through `python3 scripts/bootstrap.py e2e`, which puts everything in a network namespace that has only
 * loopback, so the fixed ports are ours and nothing can leave 127.0.0.0/8.
 */
const root = resolve(import.meta.dirname, "..");
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "procus-e2e-"));
process.env.E2E_SCREENSHOTS ??= join(root, ".data", "e2e-screenshots");
export const appUrl = "http://127.0.0.1:8000";

export default defineConfig({
  testDir: "./e2e/specs",
  outputDir: "./test-results",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 1),
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  webServer: {
    command: `${join(root, ".venv", "bin", "python")} -m procus_devstack dev --no-spa-watch`,
    cwd: root,
    url: `${appUrl}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    stdout: process.env.E2E_SERVER_LOG ? "pipe" : "ignore",
    stderr: "pipe",
    env: {
      DATA_DIR: process.env.E2E_DATA_DIR,
      DATABASE_URL: "",
      APP_ENV: "development",
      LOG_LEVEL: "WARNING",
      BCRYPT_COST: "4",
      RATE_LIMIT_AUTH_PER_MINUTE: "10000",
      RATE_LIMIT_GLOBAL_PER_MINUTE: "100000",
      // Calls open 30 minutes early here, so a journey can book the next free slot and hold the call at once,
      // and the expert is paid as soon as a call ends (no dispute window), so the journey can pay out.
      CALL_JOIN_EARLY_SECONDS: "1800",
      DISPUTE_WINDOW_SECONDS: "0",
      // The journeys reload pages many times faster than the 15 s heartbeat notices a closed stream, so
      // one user's dead streams would reach the cap of 10 and refuse the live page's stream.
      MAX_STREAMS_PER_USER: "100",
    },
  },
});

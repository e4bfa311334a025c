import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";

/**
 * The fixtures every browser journey uses:
 * - `step(name)`: a screenshot of the page, numbered, into E2E_SCREENSHOTS/<spec title>/ (printed once);
 * - `accessible(page)`: axe-core finds no serious or critical violation on the page as it is now.
 */
export interface JourneyFixtures {
  step: (name: string, page?: Page) => Promise<void>;
  accessible: (page?: Page, label?: string) => Promise<void>;
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

function screenshotFolder(info: TestInfo): string {
  const folder = join(process.env.E2E_SCREENSHOTS ?? "screenshots", slug(info.titlePath.slice(1).join(" ")));
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}

export const test = base.extend<JourneyFixtures>({
  step: async ({ page }, use, info) => {
    const folder = screenshotFolder(info);
    console.log(`screenshots: ${folder}`);
    let n = 0;
    await use(async (name, target = page) => {
      n += 1;
      await target.screenshot({ path: join(folder, `${String(n).padStart(2, "0")}-${slug(name)}.png`), fullPage: true });
    });
  },
  accessible: async ({ page }, use) => {
    await use(async (target = page, label = target.url()) => {
      const results = await new AxeBuilder({ page: target }).analyze();
      const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const summary = bad.map((v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      expect(summary, `accessibility of ${label}`).toEqual([]);
    });
  },
});

export { expect };

import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { bookedCall, joinFromLobby, reportProblems, signInToCall } from "../support/calls";
import { callBrowser, expectRemoteVideoPlaying } from "../support/media";

/**
 * A call survives a broken connection: LiveKit's client is told to drop and rebuild its connection
 * (`room.simulateScenario`); the page shows the "reconnecting" banner, then recovers on its own and the
 * other person's video plays again.
 */
const ZONE = "Europe/London";
test.use({ timezoneId: ZONE, locale: "en-GB", launchOptions: callBrowser, permissions: ["camera", "microphone"] });

async function noSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}

test("a dropped connection shows the reconnecting banner and recovers by itself", async ({ browser, page, request, step, accessible }) => {
  test.setTimeout(120_000);
  const { expert, client, bookingId } = await bookedCall(request, { expert: "Amara Obi", client: "Femi Ade", zone: ZONE });
  const clientContext = await browser.newContext({ timezoneId: ZONE, locale: "en-GB", permissions: ["camera", "microphone"] });
  const clientPage = await clientContext.newPage();
  reportProblems(page, "expert");
  reportProblems(clientPage, "client");

  // The expert is on a phone-sized screen: the lobby and the call must fit 375 px.
  await page.setViewportSize({ width: 375, height: 812 });
  await signInToCall(page, expert, bookingId);
  await expect(page.getByTestId("lobby-other")).toHaveText("Femi Ade");
  await noSidewaysScroll(page, "the lobby");
  await accessible(page, "the lobby at 375 px");
  await step("375px lobby", page);
  await joinFromLobby(page, "Femi Ade");
  await signInToCall(clientPage, client, bookingId);
  await joinFromLobby(clientPage, "Amara Obi");
  await expectRemoteVideoPlaying(clientPage, "client");
  await expectRemoteVideoPlaying(page, "expert");
  await noSidewaysScroll(page, "the call");
  await accessible(page, "the call at 375 px");
  await step("375px in call", page);

  // Watch the banner come and go, however briefly, then break the client's connection.
  await clientPage.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { bannerLog: string[] }).bannerLog = seen;
    new MutationObserver(() => {
      const shown = document.querySelector('[data-testid="reconnecting"]') !== null;
      if ((seen.at(-1) === "shown") !== shown) seen.push(shown ? "shown" : "hidden");
    }).observe(document.body, { childList: true, subtree: true });
  });
  await clientPage.evaluate(() => window.procusCall?.simulateScenario("full-reconnect"));
  await expect.poll(() => clientPage.evaluate(() => (window as unknown as { bannerLog: string[] }).bannerLog), { timeout: 30_000 }).toEqual(["shown", "hidden"]);
  await expect(clientPage.locator("[data-connection]")).toHaveAttribute("data-connection", "connected");
  await expect(clientPage.getByTestId("reconnecting")).toBeHidden();
  await expectRemoteVideoPlaying(clientPage, "client after reconnecting");
  await expectRemoteVideoPlaying(page, "expert after the client reconnected");
  await step("recovered after a reconnect", clientPage);
  await clientContext.close();
});

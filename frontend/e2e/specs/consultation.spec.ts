import type { APIRequestContext, Browser, BrowserContext, Page } from "@playwright/test";
import { headers, linkFromMail, signInAdmin, uniqueEmail, type Account } from "../support/app";
import { expect, test } from "../support/fixtures";
import { joinFromLobby, reportProblems } from "../support/calls";
import { callBrowser, checkOneDisableFeaturesFlag, expectRemoteVideoPlaying, remoteAudioLevel } from "../support/media";

/**
 * The whole consultation in two real Chromium browsers (an expert's and a client's context) against the
 * whole app, the real LiveKit SFU and the worker, inside the loopback-only namespace (`just e2e`).
 * Fake camera and microphone; the test proves media flows both ways over 127.0.0.0/8.
 *
 * Through the API: only the admin's approval (an admin has no UI; by design) and two logins that give the
 * test the ids it checks against. Everything a person does happens in the two browsers.
 */
const ZONE = "Africa/Lagos";
const PRICE = 20_000;
const NET = "18,000.00";
test.use({ timezoneId: ZONE, locale: "en-GB", launchOptions: callBrowser, permissions: ["camera", "microphone"] });

async function api<T>(request: APIRequestContext, method: "get" | "post" | "put", path: string, account: Account | null, data?: unknown): Promise<T> {
  const response = await request[method](path, { headers: account ? headers(account) : {}, ...(data === undefined ? {} : { data }) });
  expect(response.ok(), `${method} ${path} → ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

async function heading(page: Page, name: string | RegExp): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId: ZONE, locale: "en-GB", permissions: ["camera", "microphone"], viewport: { width: 1280, height: 800 } });
  return { context, page: await context.newPage() };
}

test("a whole consultation: two browsers on real video, chat, end, review, 90% and a payout", async ({ browser, page, request, step, accessible }) => {
  test.setTimeout(180_000);
  const started = Date.now();
  const mark = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s  ${what}`);
  const expertPage = page;
  reportProblems(expertPage, "expert");

  // The expert signs up and sets up in the browser.
  const expertEmail = uniqueEmail("expert");
  await expertPage.goto("/sign-up?next=/expert/setup");
  await expertPage.getByLabel("Full name").fill("Chioma Eze");
  await expertPage.getByLabel("Email").fill(expertEmail);
  await expertPage.getByLabel("Password", { exact: true }).fill("correct-horse-battery");
  await expertPage.getByLabel("I want to offer consultations as an expert").check();
  await step("expert signs up", expertPage);
  mark("expert signs up");
  await expertPage.getByRole("button", { name: "Create account" }).click();
  await heading(expertPage, "Your expert profile");
  const expertLogin = await api<{ access_token: string; user: { id: string } }>(request, "post", "/v1/auth/login", null, { email: expertEmail, password: "correct-horse-battery" });
  const expert: Account = { id: expertLogin.user.id, email: expertEmail, password: "correct-horse-battery", fullName: "Chioma Eze", token: expertLogin.access_token };

  // Experts confirm their email before they set up (the link from the captured mail).
  await expertPage.goto(await linkFromMail(expertPage, expertEmail, "verify-email"));
  await expect(expertPage.getByText("Your email address is verified.")).toBeVisible();
  await expertPage.goto("/expert/profile");
  await expertPage.getByLabel(/^Headline/).fill("Tax adviser for freelancers");
  await expertPage.getByLabel(/^About you/).fill("Ten years of tax returns for people who work for themselves.");
  await expertPage.getByLabel("Languages you hold calls in").fill("en");
  await expertPage.getByRole("button", { name: "Save profile" }).click();
  await expect(expertPage.getByText("Profile saved")).toBeVisible();
  await expertPage.goto("/expert/areas");
  await expertPage.getByLabel(/^Title/).fill("Tax return review");
  await expertPage.getByLabel("Category").selectOption("finance");
  await expertPage.getByLabel(/^What a call covers/).fill("We go through your return line by line.");
  await expertPage.getByLabel("Price").fill(String(PRICE));
  await expertPage.getByRole("button", { name: "Add area" }).click();
  await expect(expertPage.getByRole("list", { name: "Your areas" }).getByText("Tax return review")).toBeVisible();
  await expertPage.goto("/expert/availability");
  await heading(expertPage, "Availability");
  await expertPage.getByRole("button", { name: "Add hours on Monday" }).click();
  await expertPage.getByLabel("Monday range 1 start").selectOption("00:00");
  await expertPage.getByLabel("Monday range 1 end").selectOption("24:00");
  await expertPage.getByRole("button", { name: "Copy Monday's hours to other days" }).click();
  await expertPage.getByRole("button", { name: "Weekdays" }).click();
  await expertPage.getByRole("checkbox", { name: "Saturday" }).check();
  await expertPage.getByRole("checkbox", { name: "Sunday" }).check();
  await expertPage.getByRole("button", { name: "Copy", exact: true }).click();
  await expertPage.getByLabel("Minimum notice").selectOption("0");
  await expertPage.getByRole("button", { name: "Save availability" }).click();
  await expect(expertPage.getByText("Availability saved")).toBeVisible();
  await step("expert's availability, every day, no minimum notice", expertPage);
  mark("expert's availability, every day, no minimum notice");

  // The admin approves (API); the expert publishes.
  const admin = await signInAdmin(request);
  await api(request, "post", `/v1/admin/experts/${expert.id}/approval`, admin, { status: "approved", reason: "" });
  await expertPage.goto("/expert/setup");
  await expertPage.getByRole("button", { name: "Publish" }).click();
  await expect(expertPage.getByText("Clients can find and book you.")).toBeVisible();
  await step("approved and published", expertPage);
  mark("approved and published");

  // The client signs up, confirms the email, finds the expert, books the first free time and pays, all in the browser.
  const { context: clientContext, page: clientPage } = await newPerson(browser);
  reportProblems(clientPage, "client");
  const clientEmail = uniqueEmail("client");
  await clientPage.goto("/sign-up");
  await clientPage.getByLabel("Full name").fill("Tunde Bello");
  await clientPage.getByLabel("Email").fill(clientEmail);
  await clientPage.getByLabel("Password", { exact: true }).fill("a-long-client-password");
  await clientPage.getByRole("button", { name: "Create account" }).click();
  await expect(clientPage.getByText(`we sent a link to ${clientEmail}`)).toBeVisible();
  await clientPage.goto(await linkFromMail(clientPage, clientEmail, "verify-email"));
  await expect(clientPage.getByText("Your email address is verified.")).toBeVisible();
  await clientPage.goto("/experts?q=freelancers");
  // (Earlier runs against the same app may list other experts of the same name: pick this one's card.)
  const found = clientPage.getByRole("list", { name: "Experts" }).getByRole("listitem").filter({ has: clientPage.locator(`a[href="/experts/${expert.id}"]`) });
  await found.getByRole("link", { name: "Chioma Eze" }).click();
  await expect(clientPage.getByRole("heading", { name: "Chioma Eze", level: 1 })).toBeVisible();
  await clientPage.getByRole("button", { name: /, free times$/ }).first().click();
  await clientPage.getByRole("list", { name: "Free start times" }).getByRole("button").first().click();
  await step("the client picks the first free time", clientPage);
  mark("the client picks the first free time");
  await clientPage.getByRole("button", { name: "Book this time" }).click();
  const confirm = clientPage.getByRole("dialog", { name: "Confirm your booking" });
  await confirm.getByLabel("Note for the expert (optional)").fill("Two employers and a side business.");
  await confirm.getByRole("button", { name: /^Confirm and pay/ }).click();
  await expect(clientPage).toHaveURL(/127\.0\.0\.1:8010\/checkout\//);
  await clientPage.locator("#pay").click();
  await expect(clientPage.getByTestId("payment-status")).toHaveText(/Paid: NGN\s20,000\.00/);
  await step("the client has paid", clientPage);
  mark("the client has paid");
  const clientLogin = await api<{ access_token: string; user: { id: string } }>(request, "post", "/v1/auth/login", null, { email: clientEmail, password: "a-long-client-password" });
  const client: Account = { id: clientLogin.user.id, email: clientEmail, password: "a-long-client-password", fullName: "Tunde Bello", token: clientLogin.access_token };
  const mine = await api<{ items: { id: string }[] }>(request, "get", "/v1/bookings?role=client", client);
  const bookingId = mine.items[0]?.id ?? "";

  // The expert accepts in the inbox.
  await expertPage.goto("/expert/requests");
  const card = expertPage.locator(`[data-booking="${bookingId}"]`);
  await expect(card).toContainText("Paid, held in escrow", { timeout: 30_000 });
  await step("the paid request in the expert's inbox", expertPage);
  mark("the paid request in the expert's inbox");
  await card.getByRole("button", { name: "Accept" }).click();
  await expect(expertPage.getByText("Accepted Tunde Bello's call")).toBeVisible();

  // Both go through the lobby from their booking's join button: the expert's calendar, the client's booking page.
  await expertPage.goto(`/expert/calendar/${bookingId}`);
  await expertPage.getByRole("link", { name: "Join call" }).click();
  await heading(expertPage, "Call with Tunde Bello");
  await joinFromLobby(expertPage, "Tunde Bello").catch(async (error: unknown) => {
    await step("expert lobby failed", expertPage);
    mark("expert lobby failed");
    throw error;
  });
  await clientPage.goto(`/bookings/${bookingId}`);
  await clientPage.getByRole("link", { name: "Join call" }).click();
  await heading(clientPage, "Call with Chioma Eze");
  await expect(clientPage.getByTestId("lobby-time")).toContainText(ZONE.replace("_", " ").split("/")[1] ?? "");
  await accessible(clientPage, "the client's lobby");
  await step("client's lobby: preview, mic level, devices", clientPage);
  mark("client's lobby: preview, mic level, devices");
  await joinFromLobby(clientPage, "Chioma Eze");
  checkOneDisableFeaturesFlag();

  // Each sees the other's video playing, over loopback.
  await expectRemoteVideoPlaying(expertPage, "expert");
  await expectRemoteVideoPlaying(clientPage, "client");
  await step("in call: the expert's view", expertPage);
  mark("in call: the expert's view");
  await step("in call: the client's view", clientPage);
  mark("in call: the client's view");

  // The expert hears the client.
  await expect.poll(() => remoteAudioLevel(expertPage), { timeout: 20_000, intervals: [250] }).toBeGreaterThan(0);

  // The client mutes; the expert sees it.
  await clientPage.getByRole("button", { name: "Mute" }).click();
  await expect(expertPage.getByRole("img", { name: "Tunde Bello is muted" })).toBeVisible();
  await step("the expert sees the client muted", expertPage);
  mark("the expert sees the client muted");

  // Chat both ways.
  await clientPage.getByRole("textbox", { name: "Message" }).fill("Hello! Can you see my screen share later?");
  await clientPage.getByRole("button", { name: "Send message" }).click();
  await expect(expertPage.getByRole("list", { name: "Messages" })).toContainText("Hello! Can you see my screen share later?");
  await expertPage.getByRole("textbox", { name: "Message" }).fill("Yes. Let's start with your income.");
  await expertPage.getByRole("button", { name: "Send message" }).click();
  await expect(clientPage.getByRole("list", { name: "Messages" })).toContainText("Yes. Let's start with your income.");
  await step("chat, the client's side", clientPage);
  mark("chat, the client's side");

  // The expert ends the call (confirmed); the client sees it completed.
  await expertPage.getByRole("button", { name: "End call" }).click();
  await step("end call confirmation", expertPage);
  mark("end call confirmation");
  await expertPage.getByRole("dialog").getByRole("button", { name: "End call" }).click();
  await expect(expertPage.getByTestId("after-call")).toHaveAttribute("data-status", "completed");
  await expect(clientPage.getByTestId("after-call")).toHaveAttribute("data-status", "completed", { timeout: 30_000 });
  await accessible(clientPage, "the client's after-call page");
  await step("the client sees the consultation completed", clientPage);
  mark("the client sees the consultation completed");

  // The client reviews the call; the review appears on the expert's profile.
  await clientPage.getByRole("radio", { name: /^5 stars/ }).click();
  await clientPage.getByLabel(/What helped/).fill("Clear, patient and practical. My return is finally in order.");
  await clientPage.getByRole("button", { name: "Send review" }).click();
  await expect(clientPage.getByTestId("review-sent")).toBeVisible();
  await clientPage.getByRole("link", { name: "See it on Chioma Eze's profile" }).click();
  await expect(clientPage.getByRole("region", { name: "Reviews" })).toContainText("Clear, patient and practical.");
  await expect(clientPage.getByText("(1 review)").first()).toBeVisible();
  await step("the review on the expert's profile", clientPage);
  mark("the review on the expert's profile");
  await step("the expert's after-call page", expertPage);
  mark("the expert's after-call page");

  // The expert goes on to their private notes, then to the earnings: 90% of the price, and a payout the worker pays.
  await expertPage.getByRole("link", { name: "Write your notes" }).click();
  await expertPage.getByRole("textbox", { name: "Private notes" }).fill("Send the 2025 assessment checklist.");
  await expect(expertPage.getByTestId("notes-status")).toHaveText("All changes saved", { timeout: 10_000 });
  await step("the expert's notes after the call", expertPage);
  mark("the expert's notes after the call");
  await expertPage.goto("/expert/earnings");
  await heading(expertPage, "Earnings");
  await expect(expertPage.getByTestId("earnings-table").locator(`[data-booking="${bookingId}"]`)).toContainText(NET);
  await expertPage.getByLabel("Bank").selectOption("057");
  await expertPage.getByLabel("Account number").fill("0123456789");
  await expertPage.getByRole("button", { name: "Check account name" }).click();
  await expect(expertPage.getByTestId("resolved-name")).toContainText("OJO AMAKA");
  await expertPage.getByRole("button", { name: "Save bank account" }).click();
  await expertPage.getByRole("button", { name: "Request payout" }).click();
  const payout = expertPage.getByTestId("payouts").locator("li").first();
  await expect(payout).toHaveAttribute("data-status", "paid", { timeout: 60_000 });
  await step("earnings: 90% paid out", expertPage);
  mark("earnings: 90% paid out");

  await clientContext.close();
  console.log(`whole consultation: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

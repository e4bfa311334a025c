import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { createListedExpert, headers, linkFromMail, uniqueEmail } from "../support/app";
import { expect, test } from "../support/fixtures";

/**
 * The client's whole booking journey in a browser whose zone (Asia/Kathmandu, UTC+5:45, no DST) is not
 * the expert's (America/New_York): sign up, verify through the captured mail, search, pick a slot, book,
 * pay on the fake Paystack checkout, see it paid, find it in My bookings, download the invite. axe-core
 * checks every page; a final pass repeats the pages at 375 px wide.
 */
test.use({ timezoneId: "Asia/Kathmandu", locale: "en-US" });

const KATHMANDU_OFFSET_MINUTES = 5 * 60 + 45;
/** A 32×32 teal PNG: the client's picture. */
const PICTURE = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAAKklEQVR42mOQz++mKWIYtWDUglELRi0YtWDUglELRi0YtWDUglELhooFACtiZD1X3d+nAAAAAElFTkSuQmCC",
  "base64",
);
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The instant as a Kathmandu wall clock, computed by hand (not by the code under test). */
function kathmandu(instant: string): { date: string; time: string } {
  const local = new Date(Date.parse(instant) + KATHMANDU_OFFSET_MINUTES * 60_000);
  const hours = local.getUTCHours();
  const minutes = String(local.getUTCMinutes()).padStart(2, "0");
  const time = `${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
  const date = `${DAYS[local.getUTCDay()]} ${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()}`;
  return { date, time };
}

async function fitsIn375(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${page.url()} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
}

test("a client in Kathmandu finds a New York expert, books and pays, and finds the booking", async ({ page, request, step, accessible }) => {
  const expert = await createListedExpert(request, {
    fullName: "Eleanor Whitfield",
    timeZone: "America/New_York",
    headline: "Cross-border tax adviser for remote workers",
    bio: "Twelve years helping people who live in one country and earn in another.",
    area: "Remote worker tax check-up",
    category: "finance",
    price: 25_000_00,
    currency: "NGN",
  });
  const email = uniqueEmail("client");

  // Sign up.
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Expert advice, one video call away" })).toBeVisible();
  await accessible();
  await step("landing");
  await page.getByRole("link", { name: "Sign up" }).click();
  await page.getByLabel("Full name").fill("Sita Sharma");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a-long-client-password");
  await step("sign up");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(`we sent a link to ${email}`)).toBeVisible();
  await accessible();
  await step("signed up, email not verified");

  // Verify through the link in the captured mail.
  const link = await linkFromMail(page, email, "verify-email");
  await step("captured mail");
  await page.goto(link);
  await expect(page.getByText("Your email address is verified.")).toBeVisible();
  await expect(page.getByText("we sent a link to")).toHaveCount(0);
  await accessible();
  await step("email verified");

  // A picture on the account page: the browser PUTs it straight to storage, the API adopts it.
  await page.goto("/account");
  await expect(page.getByRole("button", { name: "Upload a picture" })).toBeVisible();
  await accessible();
  await step("account");
  await page.getByLabel("Picture file").setInputFiles({ name: "sita.png", mimeType: "image/png", buffer: PICTURE });
  await expect(page.getByRole("button", { name: "Change picture" })).toBeVisible();
  const picture = page.locator("main img").first();
  await expect(picture).toHaveAttribute("src", /^http:\/\/127\.0\.0\.1:9000\/.*\/avatars\//);
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(32);
  await page.reload();
  await expect(page.locator("main img").first()).toHaveAttribute("src", /\/avatars\//);
  await accessible();
  await step("account with a picture");

  // Find the expert by full-text search.
  await page.goto("/");
  await page.getByLabel("What do you need help with?").fill("cross-border tax");
  await page.getByRole("button", { name: "Find an expert" }).click();
  await expect(page).toHaveURL(/\/experts\?q=cross-border(%20|\+)tax/);
  const card = page.getByRole("list", { name: "Experts" }).getByRole("listitem").filter({ hasText: expert.fullName });
  await expect(card).toBeVisible();
  await expect(card).toContainText("NGN 25,000.00");
  await accessible();
  await step("search results");

  // Only free on one evening: a stretch of a later free day (not the first, which the profile would
  // open on anyway) from 10 minutes before its first slot keeps the expert, and the card names that
  // slot; that day's morning in Kathmandu (New York's night) leaves nobody. Times are typed on the
  // Kathmandu clock.
  const listed = await request.get(`/v1/experts/${expert.id}/slots?area_id=${expert.areaId}`);
  expect(listed.ok()).toBe(true);
  const free = ((await listed.json()) as { slots: string[] }).slots;
  const evening = free.find((s) => kathmandu(s).date !== kathmandu(free[0] ?? "").date) ?? "";
  const wall = new Date(Date.parse(evening) + KATHMANDU_OFFSET_MINUTES * 60_000);
  const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
  const from = new Date(wall.getTime() - 10 * 60_000);
  await page.getByLabel("Day").fill(from.toISOString().slice(0, 10));
  await page.getByLabel("From").fill(hhmm(from));
  await page.getByLabel("To").fill(hhmm(new Date(wall.getTime() + 30 * 60_000)));
  const stretchStart = new Date(Date.parse(evening) - 10 * 60_000).toISOString().replace(".000", "");
  await expect(page).toHaveURL(new RegExp(`free_from=${encodeURIComponent(stretchStart)}`));
  await expect(card).toBeVisible();
  await expect(card).toContainText(`First free in your stretch: ${kathmandu(evening).date}, ${kathmandu(evening).time}`);
  await accessible();
  await step("free on the evening of a later free day");
  // The profile opens on that day and the area the time is for, with that time first.
  await card.getByRole("link", { name: expert.fullName }).click();
  await expect(page).toHaveURL(new RegExp(`/experts/${expert.id}\\?area=${expert.areaId}&day=${wall.toISOString().slice(0, 10)}$`));
  await expect(page.getByRole("heading", { name: kathmandu(evening).date })).toBeVisible();
  await expect(page.getByRole("list", { name: "Free start times" }).getByRole("button").first()).toHaveText(kathmandu(evening).time);
  await step("the profile opens on that day");
  await page.goBack();
  await page.getByLabel("From").fill("08:00");
  await page.getByLabel("To").fill("12:00");
  await expect(page.getByText("No expert matches these filters")).toBeVisible();
  await expect(card).toHaveCount(0);
  await step("free only on a morning the expert sleeps through");
  // Emptying a field stops the filter; the rest of the row stays for the next edit.
  await page.getByLabel("To").fill("");
  await expect(card).toBeVisible();
  await expect(page).not.toHaveURL(/free_from/);
  await expect(page.getByLabel("From")).toHaveValue("08:00");
  await expect(page.getByTestId("free-on-hint")).toContainText("Set the day and both times to filter.");
  await step("a half-filled stretch filters nothing");
  await page.getByRole("button", { name: "Any day" }).click();
  await expect(page.getByLabel("Day")).toHaveValue("");
  await expect(card).toBeVisible();

  // The profile, in the viewer's zone with the expert's zone named.
  await card.getByRole("link", { name: expert.fullName }).click();
  await expect(page.getByRole("heading", { name: expert.fullName, level: 1 })).toBeVisible();
  await expect(page.getByText("Lives in America/New York (GMT-5)")).toBeVisible();
  await expect(page.getByRole("region", { name: "Reviews" }).getByText("No reviews yet.")).toBeVisible();
  await expect(page.getByRole("button", { name: /Your time zone: Asia\/Kathmandu/ })).toBeVisible();
  const firstFreeDay = page.getByRole("button", { name: /, free times$/ }).first();
  await expect(firstFreeDay).toBeVisible();
  await accessible();
  await step("profile and calendar");

  // Pick a day and a time; the times shown are the slot's instant in Kathmandu.
  await firstFreeDay.click();
  const times = page.getByRole("list", { name: "Free start times" }).getByRole("button");
  await expect(times.first()).toBeVisible();
  await times.first().click();
  await expect(page).toHaveURL(/slot=/);
  const slot = new URL(page.url()).searchParams.get("slot") ?? "";
  const local = kathmandu(slot);
  expect(local.time.endsWith("45 AM") || local.time.endsWith("45 PM"), "New York hours start at :45 in Kathmandu").toBe(true);
  await expect(times.first()).toHaveText(local.time);
  await expect(page.getByTestId("chosen-slot")).toHaveText(`${local.date}, ${local.time}`);
  await step("slot chosen");

  // Book: the confirmation shows the same instant, the price and the cancellation policy.
  await page.getByRole("button", { name: "Book this time" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
  await expect(dialog.getByTestId("booking-when")).toHaveText(`${local.date}, ${local.time}`);
  await expect(dialog).toContainText("Asia/Kathmandu (GMT+5:45)");
  await expect(dialog).toContainText("America/New York");
  await expect(dialog).toContainText("Cancel any time before the start");
  await dialog.getByLabel("Note for the expert (optional)").fill("I moved to Nepal this year.");
  await accessible();
  await step("confirm booking");
  await dialog.getByRole("button", { name: /^Confirm and pay/ }).click();

  // Pay on the fake Paystack checkout, come back to the result page.
  await expect(page).toHaveURL(/127\.0\.0\.1:8010\/checkout\//);
  await expect(page.getByText("NGN 25,000.00")).toBeVisible();
  await step("fake checkout");
  await page.locator("#pay").click();
  await expect(page).toHaveURL(/\/payments\/callback\?/);
  await expect(page.getByTestId("payment-status")).toHaveText(/Paid: NGN\s25,000\.00/);
  await expect(page.getByText("Your money is held safely")).toBeVisible();
  await accessible();
  await step("payment result");

  // My bookings, at the right local time.
  await page.getByRole("link", { name: "My bookings" }).last().click();
  const row = page.getByRole("list", { name: "Upcoming bookings" }).getByRole("listitem").filter({ hasText: expert.areaTitle });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("booking-time")).toContainText(`${local.date}, ${local.time}–`);
  await expect(row).toContainText("Waiting for the expert");
  await accessible();
  await step("my bookings");

  // The booking, its timeline, and the calendar invite.
  await row.getByRole("link").click();
  await expect(page.getByTestId("booking-status")).toHaveText("Waiting for the expert");
  await expect(page.getByTestId("booking-when")).toContainText(`${local.date}, ${local.time}`);
  await expect(page.getByRole("list").filter({ hasText: "by client" }).getByText("Booked", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /Add to calendar/ })).toHaveCount(0);
  await accessible();
  await step("booking detail, waiting for the expert");

  // The expert accepts (through the API); the live notification stream updates the open page.
  const bookingId = new URL(page.url()).pathname.split("/").pop() ?? "";
  const accepted = await request.post(`/v1/bookings/${bookingId}/accept`, { headers: headers(expert) });
  expect(accepted.status(), await accepted.text()).toBe(200);
  await expect(page.getByTestId("booking-status")).toHaveText("Confirmed");
  await expect(page.getByRole("list").filter({ hasText: "by expert" }).getByText("Confirmed by the expert")).toBeVisible();
  await step("booking confirmed live");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /Add to calendar/ }).click()]);
  const invite = readFileSync((await download.path()) ?? "", "utf8");
  const utc = slot.replace(/[-:]/g, "").replace(/\.\d+/, "").replace("+0000", "Z");
  expect(invite).toContain("BEGIN:VCALENDAR");
  expect(invite).toMatch(new RegExp(`DTSTART[^:\\n]*:${utc.slice(0, 15)}`));

  // The same pages at 375 px: nothing scrolls sideways, nothing breaks accessibility.
  await page.setViewportSize({ width: 375, height: 812 });
  const bookingUrl = page.url();
  const freeOnAnEvening = `/experts?q=cross-border+tax&free_from=${evening}&free_to=${new Date(Date.parse(evening) + 3 * 3_600_000).toISOString()}`;
  for (const [name, url] of [
    ["landing", "/"],
    ["account", "/account"],
    ["search results", "/experts?q=cross-border+tax"],
    ["search, free on an evening", freeOnAnEvening],
    ["profile", `/experts/${expert.id}?slot=${encodeURIComponent(slot)}&area=${expert.areaId}`],
    ["my bookings", "/bookings"],
    ["booking detail", bookingUrl],
  ] as const) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("main h1").first()).toBeVisible();
    await fitsIn375(page);
    await accessible(page, `${name} at 375 px`);
    await step(`375px ${name}`);
  }
  // At 375 px the filters fold behind a button that counts the active ones; it unfolds them.
  await page.goto(freeOnAnEvening);
  await expect(page.getByLabel("Day")).toBeHidden();
  await page.getByRole("button", { name: "Filters · 1 on" }).click();
  await expect(page.getByLabel("Day")).toHaveValue(wall.toISOString().slice(0, 10));
  await fitsIn375(page);
  await accessible(page, "filters unfolded at 375 px");
  await step("375px filters unfolded");
});

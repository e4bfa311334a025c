import { createListedExpert, headers, registerVerified } from "../support/app";
import { expect, test } from "../support/fixtures";

/**
 * Two clients want the same time. The first has the confirmation open when the second books that slot;
 * the first's confirm gets 409 slot_taken, and the page says so plainly, refreshes the free times and no
 * longer offers the taken one.
 */
test.use({ timezoneId: "UTC", locale: "en-GB" });

test("a slot taken while the client confirms is said plainly and no longer offered", async ({ page, request, step, accessible }) => {
  const expert = await createListedExpert(request, {
    fullName: "Tunde Bakare",
    timeZone: "Africa/Lagos",
    headline: "Import and export paperwork, explained",
    bio: "Customs brokerage for small traders.",
    area: "Customs paperwork review",
    category: "business",
    price: 10_000_00,
    currency: "NGN",
  });
  const first = await registerVerified(request, { fullName: "Amara Obi", role: "client", timeZone: "UTC" });
  const second = await registerVerified(request, { fullName: "Bola Ade", role: "client", timeZone: "UTC" });

  await page.goto(`/sign-in?next=${encodeURIComponent(`/experts/${expert.id}`)}`);
  await page.getByLabel("Email").fill(first.email);
  await page.getByLabel("Password", { exact: true }).fill(first.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: expert.fullName, level: 1 })).toBeVisible();

  // A whole working day (the second free day, when the month has one), and its last time.
  const freeDays = page.getByRole("button", { name: /, free times$/ });
  await expect(freeDays.first()).toBeVisible();
  const day = freeDays.nth(Math.min(1, (await freeDays.count()) - 1));
  const dayName = (await day.getAttribute("aria-label")) ?? (await day.innerText());
  await day.click();
  const times = page.getByRole("list", { name: "Free start times" });
  const wanted = times.getByRole("button").last();
  const label = (await wanted.innerText()).trim();
  await wanted.click();
  await expect(page).toHaveURL(/slot=/);
  const slot = new URL(page.url()).searchParams.get("slot") ?? "";
  await page.getByRole("button", { name: "Book this time" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm your booking" });
  await expect(dialog.getByRole("button", { name: /^Confirm and pay/ })).toBeEnabled();
  await step("confirming");

  // Meanwhile the other client books that very time.
  const taken = await request.post("/v1/bookings", { headers: headers(second), data: { expert_id: expert.id, area_id: expert.areaId, start: slot, note: "" } });
  expect(taken.status(), await taken.text()).toBe(201);

  const refreshed = page.waitForResponse((r) => r.url().includes(`/v1/experts/${expert.id}/slots`) && r.request().method() === "GET");
  await dialog.getByRole("button", { name: /^Confirm and pay/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("alert").filter({ hasText: "The times below are fresh." })).toContainText(/taken/i);
  expect((await refreshed).status()).toBe(200);
  await expect(page).not.toHaveURL(/slot=/);
  await expect(page.getByTestId("chosen-slot")).toHaveCount(0);
  const sameDay = page.getByRole("button", { name: dayName, exact: true });
  if ((await sameDay.count()) > 0) await sameDay.click();
  await expect(times.getByRole("button", { name: label, exact: true })).toHaveCount(0);
  await expect(times.getByRole("button").first()).toBeVisible();
  await accessible();
  await step("slot taken, fresh times");
});

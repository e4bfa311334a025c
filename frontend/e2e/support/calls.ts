import { expect, type APIRequestContext, type Page } from "@playwright/test";
import { headers, registerVerified, signInAdmin, type Account } from "./app";

async function ok<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  expect(response.ok(), `${response.url()} → ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

export interface BookedCall {
  expert: Account;
  client: Account;
  bookingId: string;
}

/**
 * A confirmed, paid call at the next free quarter hour, seeded through the API: an approved, verified expert
 * available around the clock with no minimum notice, a verified client, the fake Paystack's payment
 * and the expert's acceptance. With the browser tests' early join window the call can be joined at once.
 */
export async function bookedCall(request: APIRequestContext, names: { expert: string; client: string; zone: string }): Promise<BookedCall> {
  const expert = await registerVerified(request, { fullName: names.expert, role: "expert", timeZone: names.zone });
  const auth = { headers: headers(expert) };
  await ok(await request.patch("/v1/experts/me/profile", { ...auth, data: { headline: "Career coach", bio: "Fifteen years of hiring.", languages: ["en"], time_zone: names.zone, published: true } }));
  const area = await ok<{ id: string }>(
    await request.post("/v1/experts/me/areas", { ...auth, data: { title: "CV review", category: "career", description: "Your CV, line by line.", price: { amount: 15_000, currency: "NGN" }, duration_minutes: 30 } }),
  );
  const rules = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }));
  const settings = { min_notice_minutes: 0, slot_step_minutes: 15, buffer_before_minutes: 0, buffer_after_minutes: 0, horizon_days: 30 };
  await ok(await request.put("/v1/experts/me/availability", { ...auth, data: { time_zone: names.zone, rules, overrides: [], settings } }));
  const admin = await signInAdmin(request);
  await ok(await request.post(`/v1/admin/experts/${expert.id}/approval`, { headers: headers(admin), data: { status: "approved", reason: "" } }));

  const client = await registerVerified(request, { fullName: names.client, role: "client", timeZone: names.zone });
  const { slots } = await ok<{ slots: string[] }>(await request.get(`/v1/experts/${expert.id}/slots?area_id=${area.id}`));
  const created = await ok<{ booking: { id: string }; checkout: { reference: string } }>(
    await request.post("/v1/bookings", { headers: headers(client), data: { expert_id: expert.id, area_id: area.id, start: slots[0], note: "" } }),
  );
  const bookingId = created.booking.id;
  await ok(await request.post(`http://127.0.0.1:8010/_fake/transactions/${created.checkout.reference}/pay`, { data: {} }));
  await expect
    .poll(async () => (await ok<{ payment_status: string | null }>(await request.get(`/v1/bookings/${bookingId}`, { headers: headers(client) }))).payment_status, { timeout: 30_000 })
    .toBe("held");
  await ok(await request.post(`/v1/bookings/${bookingId}/accept`, { headers: headers(expert) }));
  return { expert, client, bookingId };
}

/** Sign in on this page and land on the booking's call page (the lobby). */
export async function signInToCall(page: Page, account: Account, bookingId: string): Promise<void> {
  await page.goto(`/sign-in?next=/bookings/${bookingId}/call`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Through the lobby into the call: the camera preview plays and the microphone meter moves, then Join. */
export async function joinFromLobby(page: Page, other: string): Promise<void> {
  await expect(page.getByTestId("lobby-other")).toHaveText(other);
  await expect(page.getByTestId("lobby-preview")).toBeVisible();
  await expect.poll(() => page.getByTestId("lobby-preview").evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
  await expect.poll(async () => Number(await page.getByRole("meter", { name: "Microphone level" }).getAttribute("data-level")), { timeout: 15_000, intervals: [100] }).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Join call" }).click();
  await expect(page.getByTestId("call")).toBeVisible();
}

/** Print what goes wrong inside a page (uncaught errors, console errors), labelled by whose page it is. */
export function reportProblems(page: Page, who: string): void {
  page.on("pageerror", (error) => console.log(`[${who}] page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") console.log(`[${who}] console: ${message.text()}`);
  });
}

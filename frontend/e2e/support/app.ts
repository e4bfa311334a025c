import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

/** Calls to the app's API as a script would make them (seeding data the journey needs). */
const root = resolve(import.meta.dirname, "..", "..", "..");

export interface Account {
  id: string;
  email: string;
  password: string;
  fullName: string;
  token: string;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.procus.test`;
}

export function headers(account: Pick<Account, "token">): Record<string, string> {
  return { Authorization: `Bearer ${account.token}` };
}

async function ok<T>(response: Awaited<ReturnType<APIRequestContext["get"]>>): Promise<T> {
  expect(response.ok(), `${response.url()} → ${response.status()} ${await response.text()}`).toBe(true);
  return (response.status() === 204 ? undefined : await response.json()) as T;
}

export async function register(
  request: APIRequestContext,
  details: { fullName: string; role: "client" | "expert"; timeZone: string },
): Promise<Account> {
  const email = uniqueEmail(details.role);
  const password = "correct-horse-battery";
  const body = { email, password, full_name: details.fullName, role: details.role, time_zone: details.timeZone, locale: "en" };
  await ok(await request.post("/v1/auth/register", { data: body }));
  // Registration starts no session (it answers the same for a taken address): sign in, as the web app does.
  const tokens = await ok<{ access_token: string; user: { id: string } }>(await request.post("/v1/auth/login", { data: { email, password } }));
  return { id: tokens.user.id, email, password, fullName: details.fullName, token: tokens.access_token };
}

/** The link containing `part` in the newest captured mail to `to` (the /dev/mail JSON API), waiting for the worker to send it. */
export async function mailedLink(request: APIRequestContext, to: string, part: string): Promise<string> {
  let link: string | undefined;
  await expect(async () => {
    const messages = await ok<{ links: string[] }[]>(await request.get(`/dev/mail/api/messages?to=${encodeURIComponent(to)}`));
    link = messages.flatMap((m) => m.links).find((l) => l.includes(part));
    expect(link, `a mail to ${to} with a ${part} link`).toBeTruthy();
  }).toPass({ timeout: 30_000, intervals: [300, 1000] });
  return link as unknown as string;
}

/** Register and follow the verification link from the captured mail, as a person would. */
export async function registerVerified(
  request: APIRequestContext,
  details: { fullName: string; role: "client" | "expert"; timeZone: string },
): Promise<Account> {
  const account = await register(request, details);
  const token = new URL(await mailedLink(request, account.email, "verify-email")).searchParams.get("token");
  await ok(await request.post("/v1/auth/verify-email", { data: { token } }));
  return account;
}

/** The platform's admin (made with `create-admin` on the test's database, as an operator would), signed in. */
export async function signInAdmin(request: APIRequestContext): Promise<Account> {
  const email = "admin@e2e.procus.test";
  const password = "e2e-admin-password-0123";
  execFileSync(join(root, ".venv", "bin", "python"), ["-m", "procus_devstack", "create-admin", email, "--name", "E2E Admin"], {
    cwd: root,
    env: { ...process.env, DATA_DIR: process.env.E2E_DATA_DIR, DATABASE_URL: "", PROCUS_ADMIN_PASSWORD: password, LOG_LEVEL: "WARNING" },
    stdio: "ignore",
  });
  const tokens = await ok<{ access_token: string; user: { id: string } }>(
    await againOnReset(() => request.post("/v1/auth/login", { data: { email, password } })),
  );
  return { id: tokens.user.id, email, password, fullName: "E2E Admin", token: tokens.access_token };
}

/**
 * Send once more if the server closed the pooled keep-alive connection just as it was reused (its idle
 * timeout can run out while `create-admin` starts up): the request never reached the app.
 */
async function againOnReset<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!String(error).includes("ECONNRESET")) throw error;
    return send();
  }
}

export interface ListedExpert extends Account {
  areaId: string;
  areaTitle: string;
  headline: string;
}

/** An approved, published expert with one area and weekday hours in their zone, as the directory lists them. */
export async function createListedExpert(
  request: APIRequestContext,
  details: { fullName: string; timeZone: string; headline: string; bio: string; area: string; category: string; price: number; currency: string },
): Promise<ListedExpert> {
  const expert = await registerVerified(request, { fullName: details.fullName, role: "expert", timeZone: details.timeZone });
  const auth = { headers: headers(expert) };
  await ok(await request.patch("/v1/experts/me/profile", { ...auth, data: { headline: details.headline, bio: details.bio, languages: ["en"], time_zone: details.timeZone, published: true } }));
  const area = await ok<{ id: string }>(
    await request.post("/v1/experts/me/areas", {
      ...auth,
      data: { title: details.area, category: details.category, description: `${details.area} with ${details.fullName}.`, price: { amount: details.price, currency: details.currency }, duration_minutes: 60 },
    }),
  );
  // weekday: 0 = Monday (as Python numbers them)
  const rules = [0, 1, 2, 3, 4].map((weekday) => ({ weekday, start: "09:00", end: "17:00" }));
  await ok(await request.put("/v1/experts/me/availability", { ...auth, data: { time_zone: details.timeZone, rules, overrides: [], settings: { min_notice_minutes: 60, slot_step_minutes: 60, buffer_before_minutes: 0, buffer_after_minutes: 0, horizon_days: 60 } } }));
  const admin = await signInAdmin(request);
  await ok(await request.post(`/v1/admin/experts/${expert.id}/approval`, { headers: headers(admin), data: { status: "approved", reason: "" } }));
  return { ...expert, areaId: area.id, areaTitle: details.area, headline: details.headline };
}

/** Open the captured mail (/dev/mail) until a message to `to` arrives, and return its link that contains `part`. */
export async function linkFromMail(page: Page, to: string, part: string): Promise<string> {
  let href: string | null = null;
  await expect(async () => {
    await page.goto("/dev/mail");
    const row = page.locator("tr", { hasText: to });
    href = await row.locator(`a[href*="${part}"]`).first().getAttribute("href", { timeout: 1000 });
    expect(href).toBeTruthy();
  }).toPass({ timeout: 30_000, intervals: [500, 1000] });
  return href as unknown as string;
}

import { expect, test } from "../support/fixtures";

test("the SPA answers every path: sign-in, sign-up and a 404, each accessible", async ({ page, step, accessible }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page).toHaveTitle("Sign in · ProcusMeet");
  await accessible();
  await step("sign in");

  await page.getByRole("link", { name: "Create an account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter your name.")).toBeVisible();
  await accessible();
  await step("sign up validation");

  await page.goto("/no/such/page");
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
  await accessible();
  await step("not found");
});

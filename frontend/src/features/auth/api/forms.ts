import { z } from "zod";

/** The API's own limits (procus.domain.accounts): 10+ characters, at most 72 bytes. */
export const password = z
  .string()
  .min(10, "Use at least 10 characters.")
  .refine((value) => new TextEncoder().encode(value).length <= 72, "Use at most 72 bytes (shorter, or fewer special characters).");

export const email = z.email("Enter an email address like name@example.com.");

export const signInSchema = z.object({ email, password: z.string().min(1, "Enter your password.") });
export type SignInValues = z.infer<typeof signInSchema>;

export const signUpSchema = z.object({
  full_name: z.string().trim().min(1, "Enter your name.").max(200),
  email,
  password,
  expert: z.boolean(),
});
export type SignUpValues = z.infer<typeof signUpSchema>;

export const resetSchema = z
  .object({ password, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two passwords differ.", path: ["confirm"] });
export type ResetValues = z.infer<typeof resetSchema>;

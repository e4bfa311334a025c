import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { fieldProps, FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDocumentTitle } from "@/lib/document-title";
import { problemMessage } from "@/lib/problem";
import { resetSchema, type ResetValues } from "../api/forms";
import { useConfirmPasswordReset } from "../api/auth";
import { AuthCard } from "../components/auth-card";

/** The landing page of the password-reset email (`/reset-password?token=…`). */
export function ResetPasswordPage() {
  useDocumentTitle("Choose a new password");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const confirm = useConfirmPasswordReset();
  const form = useForm<ResetValues>({ resolver: zodResolver(resetSchema), defaultValues: { password: "", confirm: "" } });
  const errors = form.formState.errors;
  if (confirm.isSuccess) {
    return (
      <AuthCard title="Password changed">
        <Alert variant="success">Your password is changed. Sign in with the new one.</Alert>
        <Button asChild>
          <Link to="/sign-in">Sign in</Link>
        </Button>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <form noValidate className="flex flex-col gap-4" onSubmit={form.handleSubmit((v) => confirm.mutate({ token, new_password: v.password }))}>
        {!token && <Alert variant="destructive">This link is incomplete; ask for a new one.</Alert>}
        {confirm.isError && <Alert variant="destructive">{problemMessage(confirm.error)}</Alert>}
        <FormField id="password" label="New password" error={errors.password?.message} hint="At least 10 characters.">
          <Input type="password" autoComplete="new-password" {...fieldProps("password", errors.password?.message, true)} {...form.register("password")} />
        </FormField>
        <FormField id="confirm" label="Repeat the new password" error={errors.confirm?.message}>
          <Input type="password" autoComplete="new-password" {...fieldProps("confirm", errors.confirm?.message)} {...form.register("confirm")} />
        </FormField>
        <Button type="submit" disabled={!token || confirm.isPending}>
          Change password
        </Button>
        <Link to="/forgot-password" className="text-sm text-primary underline">Ask for a new link</Link>
      </form>
    </AuthCard>
  );
}

import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldProps, FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDocumentTitle } from "@/lib/document-title";
import { safeNext } from "@/lib/next";
import { ApiProblem, problemMessage } from "@/lib/problem";
import { browserTimeZone } from "@/lib/time";
import { signUpSchema, type SignUpValues } from "../api/forms";
import { useSignUp } from "../api/auth";
import { AuthCard } from "../components/auth-card";
import { GoogleButton } from "../components/google-button";

export function SignUpPage() {
  useDocumentTitle("Create your account");
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const signUp = useSignUp();
  const form = useForm<SignUpValues>({
    resolver: zodResolver(signUpSchema),
    defaultValues: { full_name: "", email: "", password: "", expert: false },
  });
  const errors = form.formState.errors;
  const serverError = (field: string) => (signUp.error instanceof ApiProblem ? signUp.error.fieldError(field) : undefined);
  const onSubmit = form.handleSubmit(({ expert, ...values }) =>
    signUp.mutate(
      { ...values, role: expert ? "expert" : "client", time_zone: browserTimeZone(), locale: navigator.language || "en" },
      {
        onSuccess: (result) => {
          if (result.kind === "signed-in") navigate(safeNext(params.get("next")), { replace: true });
        },
      },
    ),
  );
  if (signUp.data?.kind === "check-email") return <CheckYourEmail email={signUp.data.email} />;
  const emailError = errors.email?.message ?? serverError("email");
  const passwordError = errors.password?.message ?? serverError("password");
  return (
    <AuthCard
      title="Create your account"
      description="Book paid 1:1 video consultations with experts."
      footer={
        <>
          Already have an account? <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/sign-in">Sign in</Link>
        </>
      }
    >
      <GoogleButton role={form.watch("expert") ? "expert" : "client"} onSignedIn={() => navigate(safeNext(params.get("next")), { replace: true })} />
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        {signUp.isError && <Alert variant="destructive">{problemMessage(signUp.error)}</Alert>}
        <FormField id="full_name" label="Full name" error={errors.full_name?.message}>
          <Input autoComplete="name" {...fieldProps("full_name", errors.full_name?.message)} {...form.register("full_name")} />
        </FormField>
        <FormField id="email" label="Email" error={emailError}>
          <Input type="email" autoComplete="email" {...fieldProps("email", emailError)} {...form.register("email")} />
        </FormField>
        <FormField id="password" label="Password" error={passwordError} hint="At least 10 characters.">
          <Input type="password" autoComplete="new-password" {...fieldProps("password", passwordError, true)} {...form.register("password")} />
        </FormField>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" className="mt-0.5 size-4 accent-[var(--primary)]" {...form.register("expert")} />
          <span>I want to offer consultations as an expert</span>
        </label>
        <Button type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? "Creating your account…" : "Create account"}
        </Button>
      </form>
    </AuthCard>
  );
}

/** After a sign-up whose sign-in did not go through: the address already has an account, and the
 * server has mailed its owner how to get in (the page cannot say which, by design). */
function CheckYourEmail({ email }: { email: string }) {
  return (
    <AuthCard title="Check your email" description={`We have sent a message to ${email}.`}>
      <div className="flex flex-col gap-3 text-sm">
        <p>It tells you how to get into your account. If you already have one, sign in or choose a new password.</p>
        <p className="flex gap-4">
          <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/sign-in">Sign in</Link>
          <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/forgot-password">Forgot your password?</Link>
        </p>
      </div>
    </AuthCard>
  );
}

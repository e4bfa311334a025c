import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { Link, useNavigate, useSearchParams } from "react-router";
import { fieldProps, FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDocumentTitle } from "@/lib/document-title";
import { safeNext } from "@/lib/next";
import { problemMessage } from "@/lib/problem";
import { signInSchema, type SignInValues } from "../api/forms";
import { useSignIn } from "../api/auth";
import { AuthCard } from "../components/auth-card";
import { GoogleButton } from "../components/google-button";

export function SignInPage() {
  useDocumentTitle("Sign in");
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const signIn = useSignIn();
  const form = useForm<SignInValues>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });
  const errors = form.formState.errors;
  const onSubmit = form.handleSubmit((values) => signIn.mutate(values, { onSuccess: () => navigate(next, { replace: true }) }));
  const withNext = params.get("next") ? `?next=${encodeURIComponent(next)}` : "";
  return (
    <AuthCard
      title="Sign in"
      description="Welcome back to ProcusMeet."
      footer={
        <>
          New here? <Link className="font-medium text-primary underline-offset-4 hover:underline" to={`/sign-up${withNext}`}>Create an account</Link>
        </>
      }
    >
      <GoogleButton role="client" onSignedIn={() => navigate(next, { replace: true })} />
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        {signIn.isError && <Alert variant="destructive">{problemMessage(signIn.error)}</Alert>}
        <FormField id="email" label="Email" error={errors.email?.message}>
          <Input type="email" autoComplete="email" {...fieldProps("email", errors.email?.message)} {...form.register("email")} />
        </FormField>
        <FormField id="password" label="Password" error={errors.password?.message}>
          <Input type="password" autoComplete="current-password" {...fieldProps("password", errors.password?.message)} {...form.register("password")} />
        </FormField>
        <Button type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? "Signing in…" : "Sign in"}
        </Button>
        <Link to="/forgot-password" className="text-sm text-primary underline-offset-4 hover:underline">
          Forgot your password?
        </Link>
      </form>
    </AuthCard>
  );
}

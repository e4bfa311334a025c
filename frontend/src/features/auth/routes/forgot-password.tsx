import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Link } from "react-router";
import { fieldProps, FormField } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { useDocumentTitle } from "@/lib/document-title";
import { problemMessage } from "@/lib/problem";
import { email } from "../api/forms";
import { useRequestPasswordReset } from "../api/auth";
import { AuthCard } from "../components/auth-card";

const schema = z.object({ email });

export function ForgotPasswordPage() {
  useDocumentTitle("Reset your password");
  const request = useRequestPasswordReset();
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), defaultValues: { email: "" } });
  const error = form.formState.errors.email?.message;
  return (
    <AuthCard title="Reset your password" description="We will email you a link to choose a new one." footer={<Link className="text-primary underline" to="/sign-in">Back to sign in</Link>}>
      {request.isSuccess ? (
        <Alert variant="success">If an account uses that address, a reset link is on its way. It works for one hour.</Alert>
      ) : (
        <form noValidate className="flex flex-col gap-4" onSubmit={form.handleSubmit((v) => request.mutate(v.email))}>
          {request.isError && <Alert variant="destructive">{problemMessage(request.error)}</Alert>}
          <FormField id="email" label="Email" error={error}>
            <Input type="email" autoComplete="email" {...fieldProps("email", error)} {...form.register("email")} />
          </FormField>
          <Button type="submit" disabled={request.isPending}>
            Send the link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

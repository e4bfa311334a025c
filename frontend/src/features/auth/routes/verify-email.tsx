import { CheckCircle2 } from "lucide-react";
import { useEffect, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { useSession } from "@/api/session";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { useDocumentTitle } from "@/lib/document-title";
import { useResendVerification, useVerifyEmail } from "../api/auth";
import { AuthCard } from "../components/auth-card";

/** The landing page of the link in the verification email (`/verify-email?token=…`). */
export function VerifyEmailPage() {
  useDocumentTitle("Verify your email");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const verify = useVerifyEmail();
  const resend = useResendVerification();
  const status = useSession((s) => s.status);
  const sent = useRef(false);
  // After the session is restored, so the verified flag lands on the restored user, not under it.
  useEffect(() => {
    if (token && status !== "restoring" && !sent.current) {
      sent.current = true;
      verify.mutate(token);
    }
  }, [token, status, verify]);

  return (
    <div className="mx-auto w-full max-w-md">
      <AuthCard title="Email verification">
        {!token && <ErrorState title="This link is incomplete" error={new Error("Open the link from the email again, or ask for a new one.")} />}
        {verify.isPending && <LoadingState label="Verifying your email" rows={1} />}
        {verify.isSuccess && (
          <div className="flex flex-col items-start gap-3">
            <p className="flex items-center gap-2 font-medium text-emerald-800">
              <CheckCircle2 className="size-5" aria-hidden /> Your email address is verified.
            </p>
            <Button asChild>
              <Link to="/experts">Find an expert</Link>
            </Button>
          </div>
        )}
        {verify.isError && (
          <div className="flex flex-col gap-3">
            <ErrorState title="We could not verify your email" error={verify.error} />
            {status === "signed-in" ? (
              <Button variant="outline" onClick={() => resend.mutate()} disabled={resend.isPending || resend.isSuccess}>
                {resend.isSuccess ? "A new link is on its way" : "Send a new link"}
              </Button>
            ) : (
              <p className="text-sm text-muted-foreground">
                <Link className="text-primary underline" to="/sign-in">Sign in</Link> to ask for a new link.
              </p>
            )}
          </div>
        )}
      </AuthCard>
    </div>
  );
}

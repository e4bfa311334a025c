import { useSession } from "@/api/session";
import { Button } from "@/components/ui/button";
import { useResendVerification } from "../api/auth";

/** Until the email address is verified: a reminder with a way to get the link again. */
export function VerifyBanner() {
  const user = useSession((s) => s.user);
  const resend = useResendVerification();
  if (!user || user.email_verified) return null;
  return (
    <div role="status" className="border-b bg-amber-50 text-amber-950">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm sm:px-6">
        <span>
          Check your inbox: we sent a link to <strong>{user.email}</strong> to verify it.
        </span>
        <Button variant="link" size="sm" className="h-auto p-0 text-amber-950 underline" onClick={() => resend.mutate()} disabled={resend.isPending || resend.isSuccess}>
          {resend.isSuccess ? "Sent again" : "Send it again"}
        </Button>
      </div>
    </div>
  );
}

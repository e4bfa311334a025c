import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { problemMessage } from "@/lib/problem";
import { authProvidersQuery, useGoogleSignIn } from "../api/auth";
import { googleAccessToken } from "../api/google-identity";

/** "Continue with Google", shown only when the server has a Google client ID configured. */
export function GoogleButton({ role, onSignedIn }: { role: "client" | "expert"; onSignedIn: () => void }) {
  const providers = useQuery(authProvidersQuery());
  const signIn = useGoogleSignIn();
  const [failure, setFailure] = useState<string | null>(null);
  const clientId = providers.data?.google_client_id;
  if (!clientId) return null;
  const start = async () => {
    setFailure(null);
    try {
      const accessToken = await googleAccessToken(clientId);
      signIn.mutate({ access_token: accessToken, role }, { onSuccess: onSignedIn });
    } catch (error) {
      setFailure(problemMessage(error));
    }
  };
  return (
    <div className="flex flex-col gap-2">
      <Button type="button" variant="outline" onClick={() => void start()} disabled={signIn.isPending}>
        Continue with Google
      </Button>
      {(failure || signIn.isError) && <Alert variant="destructive">{failure ?? problemMessage(signIn.error)}</Alert>}
      <div className="flex items-center gap-2 text-xs text-muted-foreground">
        <span className="h-px flex-1 bg-border" /> or with your email <span className="h-px flex-1 bg-border" />
      </div>
    </div>
  );
}

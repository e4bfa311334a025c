import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import { useSession, type Tokens } from "@/api/session";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

type RegisterIn = components["schemas"]["RegisterIn"];
type LoginIn = components["schemas"]["LoginIn"];

export function useSignIn() {
  return useMutation({
    mutationFn: async (body: LoginIn): Promise<Tokens> => unwrap(await api.POST("/v1/auth/login", { body })),
    onSuccess: (tokens) => useSession.getState().signedIn(tokens),
  });
}

/** What signing up led to: signed in with the new account, or (the address already had an account,
 * whose owner the server mailed) a note to check the inbox. Registration answers the same either way
 * so it cannot reveal who has an account; the sign-in that follows is what lets a new user in. */
export type SignUpResult = { kind: "signed-in"; tokens: Tokens } | { kind: "check-email"; email: string };

export function useSignUp() {
  return useMutation({
    mutationFn: async (body: RegisterIn): Promise<SignUpResult> => {
      const registered = unwrap(await api.POST("/v1/auth/register", { body }));
      const signIn = await api.POST("/v1/auth/login", { body: { email: body.email, password: body.password } });
      if (signIn.response.status === 401) return { kind: "check-email", email: registered.email };
      return { kind: "signed-in", tokens: unwrap(signIn) };
    },
    onSuccess: (result) => {
      if (result.kind === "signed-in") useSession.getState().signedIn(result.tokens);
    },
  });
}

/** Sign out here (or everywhere): the server ends the session(s) and clears the cookie; caches go too. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (everywhere: boolean) => {
      if (everywhere) unwrap(await api.POST("/v1/auth/logout-all"));
      else unwrap(await api.POST("/v1/auth/logout", { body: {} }));
    },
    onSettled: () => {
      useSession.getState().signedOut();
      queryClient.clear();
    },
  });
}

export function useVerifyEmail() {
  return useMutation({
    mutationFn: async (token: string) => {
      unwrap(await api.POST("/v1/auth/verify-email", { body: { token } }));
    },
    onSuccess: () => {
      const { user, userChanged } = useSession.getState();
      if (user) userChanged({ ...user, email_verified: true });
    },
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: async () => {
      unwrap(await api.POST("/v1/auth/verify-email/resend"));
    },
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (email: string) => {
      unwrap(await api.POST("/v1/auth/password-reset", { body: { email } }));
    },
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: async (body: components["schemas"]["PasswordResetConfirmIn"]) => {
      unwrap(await api.POST("/v1/auth/password-reset/confirm", { body }));
    },
  });
}

/** Which sign-in methods the server offers besides email and password (Google when configured). */
export const authProvidersQuery = () =>
  queryOptions({
    queryKey: [scopes.sessions, "providers"] as const,
    queryFn: async () => unwrap(await api.GET("/v1/auth/providers")),
    staleTime: Infinity,
  });

/** Sign in (or up) with the access token Google's token client handed us. */
export function useGoogleSignIn() {
  return useMutation({
    mutationFn: async (body: components["schemas"]["GoogleIn"]): Promise<Tokens> => unwrap(await api.POST("/v1/auth/google", { body })),
    onSuccess: (tokens) => useSession.getState().signedIn(tokens),
  });
}

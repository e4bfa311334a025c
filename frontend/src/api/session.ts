import { create } from "zustand";
import type { components } from "./schema";

export type User = components["schemas"]["UserOut"];
export type Tokens = components["schemas"]["TokensOut"];

type Status = "restoring" | "signed-in" | "signed-out";

interface SessionState {
  status: Status;
  /** Held in memory only; a reload restores it from the HTTP-only refresh cookie. */
  accessToken: string | null;
  user: User | null;
  signedIn: (tokens: Tokens) => void;
  signedOut: () => void;
  userChanged: (user: User) => void;
}

export const useSession = create<SessionState>()((set) => ({
  status: "restoring",
  accessToken: null,
  user: null,
  signedIn: (tokens) => set({ status: "signed-in", accessToken: tokens.access_token, user: tokens.user }),
  signedOut: () => set({ status: "signed-out", accessToken: null, user: null }),
  userChanged: (user) => set({ user }),
}));

/** Exchanges the refresh cookie for new tokens; resolves to them, or null when the session is over. */
export type RefreshCall = () => Promise<Tokens | null>;

let inflight: Promise<boolean> | null = null;

/**
 * Refresh the session, at most once at a time: every caller that arrives while a refresh is running
 * waits for that same refresh. The refresh token rotates on each use, so two parallel refreshes
 * would spend it twice and the second would end the session.
 */
export function refreshSession(call: RefreshCall): Promise<boolean> {
  inflight ??= call()
    .then((tokens) => {
      if (tokens) useSession.getState().signedIn(tokens);
      else useSession.getState().signedOut();
      return tokens !== null;
    })
    .catch(() => {
      useSession.getState().signedOut();
      return false;
    })
    .finally(() => {
      inflight = null;
    });
  return inflight;
}

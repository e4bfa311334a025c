import { Navigate, Outlet, useLocation } from "react-router";
import type { Role } from "@/api/session-types";
import { useSession } from "@/api/session";
import { ErrorState, LoadingState } from "@/components/page-state";

/**
 * Pages that need a session. Without one (never signed in, or the refresh failed) it sends the user
 * to sign in with `next` set to this page, so they come back here afterwards.
 */
export function SignedInLayout({ roles }: { roles?: Role[] }) {
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const location = useLocation();
  if (status === "restoring") return <LoadingState rows={2} />;
  if (status === "signed-out" || !user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  if (roles && !roles.includes(user.role)) {
    return <ErrorState title="Not available" error={new Error(`This page is for ${roles.join(" or ")} accounts.`)} />;
  }
  return <Outlet />;
}

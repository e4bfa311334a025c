import { Navigate, Outlet, useSearchParams } from "react-router";
import { useSession } from "@/api/session";
import { LoadingState } from "@/components/page-state";
import { safeNext } from "@/lib/next";

/** Sign-in, sign-up and password pages: a narrow column; signed-in users go on to where they were headed. */
export function GuestLayout() {
  const status = useSession((s) => s.status);
  const [params] = useSearchParams();
  if (status === "restoring") return <LoadingState rows={1} />;
  if (status === "signed-in") return <Navigate to={safeNext(params.get("next"))} replace />;
  return (
    <div className="mx-auto w-full max-w-md">
      <Outlet />
    </div>
  );
}

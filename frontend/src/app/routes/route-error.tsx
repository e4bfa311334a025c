import { isRouteErrorResponse, useRouteError } from "react-router";
import { ErrorState } from "@/components/page-state";
import { NotFoundPage } from "./not-found";

/** What a page shows when it throws while rendering or loading its code. */
export function RouteError() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <div className="mx-auto max-w-xl py-10">
      <ErrorState error={error} title="This page failed to load" onRetry={() => window.location.reload()} />
    </div>
  );
}

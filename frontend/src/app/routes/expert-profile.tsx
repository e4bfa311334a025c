import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { useParams } from "react-router";
import { AfterFirstPaint } from "@/components/after-first-paint";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Skeleton } from "@/components/ui/skeleton";
import { expertProfileQuery } from "@/features/experts/api/experts";
import { ExpertProfile } from "@/features/experts/components/expert-profile";
import { useDocumentTitle } from "@/lib/document-title";

// Who the expert is paints first (it is the page's largest content); the booking calendar and the reviews,
// and their code, load after that first paint, so compiling them does not hold it up.
const BookingPanel = lazy(() => import("@/features/booking/components/booking-panel").then((m) => ({ default: m.BookingPanel })));
const ExpertReviews = lazy(() => import("@/features/experts/components/expert-reviews").then((m) => ({ default: m.ExpertReviews })));
const reviewsLoading = <LoadingState label="Loading the reviews" rows={1} />;
const calendarLoading = <Skeleton role="status" aria-label="Loading the calendar" className="h-[34rem] w-full rounded-xl" />;

/** An expert's public page: who they are and what clients said (experts) beside how to book them (booking). */
export function ExpertProfilePage() {
  const { expertId = "" } = useParams();
  const query = useQuery(expertProfileQuery(expertId));
  useDocumentTitle(query.data?.full_name ?? "Expert");
  if (query.isPending) return <LoadingState label="Loading the expert" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return (
    <div className="grid gap-8 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
      <div className="flex flex-col gap-8">
        <ExpertProfile expert={query.data} />
        <AfterFirstPaint fallback={reviewsLoading}>
          <Suspense fallback={reviewsLoading}>
            <ExpertReviews expertId={query.data.id} />
          </Suspense>
        </AfterFirstPaint>
      </div>
      <AfterFirstPaint fallback={calendarLoading}>
        <Suspense fallback={calendarLoading}>
          <BookingPanel expert={query.data} />
        </Suspense>
      </AfterFirstPaint>
    </div>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import { ErrorState, LoadingState } from "@/components/page-state";
import { BookingPanel } from "@/features/booking/components/booking-panel";
import { expertProfileQuery } from "@/features/experts/api/experts";
import { ExpertProfile } from "@/features/experts/components/expert-profile";
import { ExpertReviews } from "@/features/experts/components/expert-reviews";
import { useDocumentTitle } from "@/lib/document-title";

/** An expert's public page: who they are (experts) beside how to book them (booking). */
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
        <ExpertReviews expertId={query.data.id} />
      </div>
      <BookingPanel expert={query.data} />
    </div>
  );
}

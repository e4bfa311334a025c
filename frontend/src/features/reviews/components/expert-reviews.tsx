import { useQuery } from "@tanstack/react-query";
import { Star } from "lucide-react";
import { EmptyState, ErrorState, LoadingState } from "@/components/page-state";
import { useViewerClock } from "@/lib/preferences";
import { formatDate } from "@/lib/time";
import { expertReviewsQuery } from "../api/reviews";

/** The latest reviews on an expert's public profile, with the expert's replies. */
export function ExpertReviews({ expertId }: { expertId: string }) {
  const query = useQuery(expertReviewsQuery(expertId));
  const { zone } = useViewerClock();
  return (
    <section aria-labelledby="reviews-heading" className="flex flex-col gap-3">
      <h2 id="reviews-heading" className="text-lg font-semibold">
        Reviews
      </h2>
      {query.isPending ? (
        <LoadingState label="Loading reviews" rows={2} />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title="No reviews yet" />
      ) : (
        <ul className="flex flex-col gap-3" data-testid="reviews">
          {query.data.items.map((r) => (
            <li key={r.id} className="rounded-lg border p-3 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <span className="flex" role="img" aria-label={`${r.rating} out of 5 stars`}>
                  {[1, 2, 3, 4, 5].map((n) => (
                    <Star key={n} className={n <= r.rating ? "size-4 fill-amber-400 text-amber-500" : "size-4 text-muted-foreground"} aria-hidden />
                  ))}
                </span>
                <span className="font-medium">{r.client_name}</span>
                <span className="text-muted-foreground">{formatDate(r.created_at, zone)}</span>
              </p>
              {r.text && <p className="mt-1 whitespace-pre-line">{r.text}</p>}
              {r.reply && <p className="mt-2 border-l-2 pl-3 text-muted-foreground">Reply: {r.reply}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { useInfiniteQuery } from "@tanstack/react-query";
import { Star } from "lucide-react";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Rating } from "@/components/rating";
import { Button } from "@/components/ui/button";
import { useViewerClock } from "@/lib/preferences";
import { formatDate } from "@/lib/time";
import { expertReviewsQuery } from "../api/experts";

function Stars({ rating }: { rating: number }) {
  return (
    <span className="inline-flex" role="img" aria-label={`${rating} out of 5 stars`}>
      {[1, 2, 3, 4, 5].map((n) => (
        <Star key={n} aria-hidden className={n <= rating ? "size-4 fill-amber-400 text-amber-500" : "size-4 text-muted-foreground/40"} />
      ))}
    </span>
  );
}

/** What clients said after their consultations, with the expert's replies. */
export function ExpertReviews({ expertId }: { expertId: string }) {
  const { zone } = useViewerClock();
  const query = useInfiniteQuery(expertReviewsQuery(expertId));
  const reviews = query.data?.pages.flatMap((p) => p.items).filter((r) => !r.hidden) ?? [];
  const summary = query.data?.pages[0]?.summary;
  return (
    <section aria-labelledby="reviews" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="reviews" className="text-lg font-semibold">
          Reviews
        </h2>
        {summary && <Rating average={summary.average} count={summary.count} />}
      </div>
      {query.isPending && <LoadingState rows={1} label="Loading reviews" />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && reviews.length === 0 && <p className="text-sm text-muted-foreground">No reviews yet.</p>}
      <ul className="flex flex-col gap-3">
        {reviews.map((review) => (
          <li key={review.id} className="rounded-lg border p-3">
            <div className="flex flex-wrap items-center justify-between gap-2">
              <Stars rating={review.rating} />
              <span className="text-xs text-muted-foreground">
                {review.client_name} · {formatDate(review.created_at, zone)}
              </span>
            </div>
            {review.text && <p className="mt-2 text-sm">{review.text}</p>}
            {review.reply && (
              <p className="mt-2 border-l-2 pl-3 text-sm text-muted-foreground">
                <span className="font-medium text-foreground">Reply:</span> {review.reply}
              </p>
            )}
          </li>
        ))}
      </ul>
      {query.hasNextPage && (
        <Button variant="outline" size="sm" className="self-start" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          More reviews
        </Button>
      )}
    </section>
  );
}

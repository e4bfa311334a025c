import { useQuery } from "@tanstack/react-query";
import { Star } from "lucide-react";
import { useId, useState } from "react";
import { Link } from "react-router";
import { ErrorState, LoadingState } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Textarea } from "@/components/ui/textarea";
import { problemMessage } from "@/lib/problem";
import { cn } from "@/lib/utils";
import { bookingReviewQuery, useCreateReview } from "../api/reviews";

const WORDS = ["", "Poor", "Fair", "Good", "Very good", "Excellent"];

/** After a completed call: the client rates it (1–5 stars) and may say why; once sent it shows on the expert's profile. */
export function ReviewForm({ bookingId, expert }: { bookingId: string; expert: { id: string; full_name: string } }) {
  const existing = useQuery(bookingReviewQuery(bookingId));
  const create = useCreateReview(bookingId);
  const [rating, setRating] = useState(0);
  const [text, setText] = useState("");
  const textId = useId();
  if (existing.isPending) return <LoadingState label="Loading your review" rows={1} />;
  if (existing.isError) return <ErrorState error={existing.error} onRetry={() => void existing.refetch()} />;
  const review = existing.data;
  if (review) {
    return (
      <Card data-testid="review-sent">
        <CardContent className="flex flex-col gap-2 pt-4 sm:pt-6">
          <p className="font-medium">Thank you for your review.</p>
          <p className="flex items-center gap-1" aria-label={`${review.rating} out of 5 stars`}>
            {[1, 2, 3, 4, 5].map((n) => (
              <Star key={n} className={cn("size-5", n <= review.rating ? "fill-amber-400 text-amber-500" : "text-muted-foreground")} aria-hidden />
            ))}
          </p>
          {review.text && <blockquote className="border-l-2 pl-3 italic">{review.text}</blockquote>}
          <Link to={`/experts/${expert.id}`} className="text-sm text-primary underline underline-offset-4">
            See it on {expert.full_name}'s profile
          </Link>
        </CardContent>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>How was your call with {expert.full_name}?</CardTitle>
      </CardHeader>
      <CardContent>
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (rating > 0) create.mutate({ rating, text: text.trim() });
          }}
        >
          <fieldset className="flex flex-col gap-2">
            <legend className="text-sm font-medium">Your rating</legend>
            <div className="flex items-center gap-1" role="radiogroup" aria-label="Rating">
              {[1, 2, 3, 4, 5].map((n) => (
                <button
                  key={n}
                  type="button"
                  role="radio"
                  aria-checked={rating === n}
                  aria-label={`${n} ${n === 1 ? "star" : "stars"}: ${WORDS[n]}`}
                  onClick={() => setRating(n)}
                  className="rounded p-1 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
                >
                  <Star className={cn("size-7", n <= rating ? "fill-amber-400 text-amber-500" : "text-muted-foreground")} aria-hidden />
                </button>
              ))}
              <span className="ml-2 text-sm text-muted-foreground">{WORDS[rating]}</span>
            </div>
          </fieldset>
          <div className="flex flex-col gap-1.5">
            <label htmlFor={textId} className="text-sm font-medium">
              What helped, or what could be better? (optional)
            </label>
            <Textarea id={textId} value={text} onChange={(e) => setText(e.target.value)} rows={4} maxLength={2000} />
          </div>
          {create.isError && (
            <p role="alert" className="text-sm text-red-700">
              {problemMessage(create.error)}
            </p>
          )}
          <Button type="submit" className="self-start" disabled={rating === 0 || create.isPending}>
            {create.isPending ? "Sending…" : rating === 0 ? "Choose a rating" : "Send review"}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

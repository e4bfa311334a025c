import { CallPage } from "@/features/calls/routes/call";
import { ReviewForm } from "@/features/reviews/components/review-form";

/** A booking's call (calls) with the client's review form after it (reviews). */
export function CallRoutePage() {
  return <CallPage review={(booking) => <ReviewForm bookingId={booking.id} expert={booking.expert} />} />;
}

import type { BadgeVariant } from "@/components/ui/badge";
import type { components } from "@/api/schema";

type Status = components["schemas"]["BookingStatus"];

/** What each booking status means to the client, in plain words. */
export const STATUS: Record<Status, { label: string; variant: BadgeVariant; explain: string }> = {
  pending: { label: "Waiting for the expert", variant: "warning", explain: "Paid and held. The expert confirms or declines before the answer-by time; if they decline, you get a full refund." },
  confirmed: { label: "Confirmed", variant: "success", explain: "The expert confirmed. Join the call from this page when it opens." },
  reschedule_proposed: { label: "New time proposed", variant: "warning", explain: "The expert asked to move the consultation. Accept the new time or keep the booking as it is." },
  cancelled: { label: "Cancelled", variant: "destructive", explain: "This booking was cancelled; any refund due goes back to the card you paid with." },
  declined: { label: "Declined", variant: "destructive", explain: "The expert could not take this booking; your payment is refunded in full." },
  expired: { label: "Expired", variant: "secondary", explain: "The booking lapsed before it was confirmed or paid; any payment is refunded." },
  completed: { label: "Completed", variant: "secondary", explain: "The consultation took place." },
  no_show_client: { label: "Missed by you", variant: "secondary", explain: "You did not join the call." },
  no_show_expert: { label: "Missed by the expert", variant: "destructive", explain: "The expert did not join; your payment is refunded." },
  no_show_both: { label: "Nobody joined", variant: "secondary", explain: "Neither side joined the call." },
};

const ACTION_WORDS: Record<string, string> = {
  request: "Booked",
  accept: "Confirmed by the expert",
  decline: "Declined by the expert",
  propose_reschedule: "New time proposed",
  accept_reschedule: "New time accepted",
  decline_reschedule: "New time declined",
  cancel: "Cancelled",
  expire: "Expired",
  complete: "Completed",
  mark_no_show_client: "Marked: client absent",
  mark_no_show_expert: "Marked: expert absent",
  mark_no_show_both: "Marked: nobody joined",
};

export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action.replaceAll("_", " ");
}

/**
 * The first element of every query key, one per kind of server data. Features build their keys from
 * these in their queryOptions factories (never by hand), so an event from the live stream can
 * invalidate "everything about bookings" without importing another feature.
 */
export const scopes = {
  me: "me",
  sessions: "sessions",
  notifications: "notifications",
  experts: "experts",
  categories: "categories",
  slots: "slots",
  bookings: "bookings",
  payments: "payments",
  calls: "calls",
  payouts: "payouts",
  availability: "availability",
} as const;

export type Scope = (typeof scopes)[keyof typeof scopes];

/** What a notification of a kind (`booking.confirmed`, `payment.succeeded`, `call.ended`, …) may have changed. */
export function scopesAffectedBy(kind: string): Scope[] {
  const family = kind.split(".")[0];
  switch (family) {
    case "booking":
    case "proposal":
      return [scopes.bookings, scopes.slots, scopes.calls];
    case "payment":
      return [scopes.payments, scopes.bookings, scopes.payouts];
    case "call":
      return [scopes.calls, scopes.bookings];
    case "payout":
      return [scopes.payouts];
    default:
      return [];
  }
}

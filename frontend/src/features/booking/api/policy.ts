import type { components } from "@/api/schema";

type Policy = components["schemas"]["CancellationPolicyOut"];

function percent(bps: number): string {
  return `${Math.round(bps / 100)}%`;
}

function duration(seconds: number): string {
  const hours = Math.round(seconds / 3600);
  if (hours >= 48 && hours % 24 === 0) return `${hours / 24} days`;
  if (hours >= 1) return hours === 1 ? "1 hour" : `${hours} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

/** The cancellation policy in one plain sentence. */
export function describePolicy(policy: Policy): string {
  if (policy.late_window_seconds <= 0 || policy.late_refund_bps === policy.full_refund_bps) {
    return `Cancel any time before the start and get ${percent(policy.full_refund_bps)} back.`;
  }
  return `Cancel more than ${duration(policy.late_window_seconds)} before the start and get ${percent(policy.full_refund_bps)} back; later, ${percent(policy.late_refund_bps)}.`;
}

/** "5 h 20 min left", "12 min left", or "expired". */
export function timeLeft(deadline: string, now: Date): string {
  const minutes = Math.floor((Date.parse(deadline) - now.getTime()) / 60_000);
  if (minutes <= 0) return "expired";
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h left`;
  return hours > 0 ? `${hours} h ${rest} min left` : `${rest} min left`;
}

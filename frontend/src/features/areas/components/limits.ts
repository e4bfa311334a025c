/** The API's limits on an area (`procus.domain.experts`), checked before anything is sent. */
export const AREA_LIMITS = { title: 120, description: 4000, minDuration: 15, maxDuration: 240, durationStep: 15, maxActive: 20, maxPriceMinor: 10 ** 12 };

export const DURATIONS = Array.from({ length: AREA_LIMITS.maxDuration / AREA_LIMITS.durationStep }, (_, i) => (i + 1) * AREA_LIMITS.durationStep);

export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "25000" or "25,000.50" in major units to integer minor units; null if it is not a positive amount. */
export function toMinorUnits(text: string, currency: string): number | null {
  const cleaned = text.replaceAll(",", "").trim();
  const digits = currencyDigits(currency);
  if (!new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`).test(cleaned) || (digits === 0 && cleaned.includes("."))) return null;
  const [whole = "0", fraction = ""] = cleaned.split(".");
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || 0);
  return minor > 0 && minor <= AREA_LIMITS.maxPriceMinor ? minor : null;
}

export function toMajorText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  return digits === 0 ? String(minor) : (minor / 10 ** digits).toFixed(digits);
}

import { Star } from "lucide-react";

/** "4.8 (12 reviews)", or "New" before the first review. */
export function Rating({ average, count }: { average: number | null; count: number }) {
  if (average === null || count === 0) return <span className="text-sm text-muted-foreground">New</span>;
  return (
    <span className="inline-flex items-center gap-1 text-sm">
      <Star className="size-4 fill-amber-400 text-amber-500" aria-hidden />
      <span className="font-medium">{average.toFixed(1)}</span>
      <span className="text-muted-foreground">
        ({count} {count === 1 ? "review" : "reviews"})
      </span>
    </span>
  );
}

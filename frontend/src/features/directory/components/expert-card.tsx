import { CalendarCheck, CalendarClock } from "lucide-react";
import { Link } from "react-router";
import type { components } from "@/api/schema";
import { Avatar } from "@/components/avatar";
import { Rating } from "@/components/rating";
import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime, formatTime, localDay } from "@/lib/time";
import type { FreeBetween } from "../api/filters";

type Card = components["schemas"]["ExpertCardOut"];

/**
 * One expert in the directory. Under a "Free on" filter (`freeBetween`) the card says the expert is
 * free then (which is what the filter guarantees) and opens their calendar on that day.
 */
export function ExpertCard({ expert, freeBetween = null }: { expert: Card; freeBetween?: FreeBetween | null }) {
  const { zone, cycle } = useViewerClock();
  const day = freeBetween ? localDay(freeBetween.from, zone) : null;
  return (
    <li className="relative flex flex-col gap-3 rounded-xl border bg-card p-4 shadow-sm transition-shadow focus-within:ring-2 focus-within:ring-ring hover:shadow-md">
      <div className="flex items-start gap-3">
        <Avatar name={expert.full_name} url={expert.avatar_url} />
        <div className="min-w-0 flex-1">
          <h2 className="text-base font-semibold leading-tight">
            <Link to={day ? `/experts/${expert.id}?day=${day}` : `/experts/${expert.id}`} className="after:absolute after:inset-0 focus-visible:outline-none">
              {expert.full_name}
            </Link>
          </h2>
          <p className="mt-0.5 line-clamp-2 text-sm text-muted-foreground">{expert.headline}</p>
        </div>
      </div>
      <div className="flex flex-wrap gap-1">
        {expert.categories.map((c) => (
          <Badge key={c} variant="secondary">
            {c}
          </Badge>
        ))}
      </div>
      <div className="mt-auto flex flex-wrap items-end justify-between gap-2">
        <Rating average={expert.rating_average} count={expert.review_count} />
        <p className="text-sm">
          from <span className="font-semibold">{formatMoney(expert.from_price.amount, expert.from_price.currency)}</span>
        </p>
      </div>
      {freeBetween && (
        <p className="flex items-center gap-1.5 text-sm font-medium">
          <CalendarCheck className="size-4 shrink-0" aria-hidden />
          Free in your stretch: {formatDateTime(freeBetween.from, zone, cycle)}–{formatTime(freeBetween.to, zone, cycle)}
        </p>
      )}
      <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
        <CalendarClock className="size-4 shrink-0" aria-hidden />
        {expert.next_available_at ? <>Next free: {formatDateTime(expert.next_available_at, zone, cycle)}</> : "No free time soon"}
      </p>
    </li>
  );
}

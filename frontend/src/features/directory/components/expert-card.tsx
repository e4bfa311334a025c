import { CalendarCheck, CalendarClock } from "lucide-react";
import { Link } from "react-router";
import type { components } from "@/api/schema";
import { Avatar } from "@/components/avatar";
import { Rating } from "@/components/rating";
import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { formatDateTime, localDay } from "@/lib/time";

type Card = components["schemas"]["ExpertCardOut"];

/**
 * One expert in the directory. Under a "Free on" filter the card gives the expert's first free time
 * in the client's stretch (which can be a later day than "Next free") and opens their calendar on
 * that time's day, for the area that time is for.
 */
export function ExpertCard({ expert }: { expert: Card }) {
  const { zone, cycle } = useViewerClock();
  const inStretch = expert.first_slot_between ?? null;
  const profile = inStretch
    ? `/experts/${expert.id}?area=${inStretch.area_id}&day=${localDay(inStretch.start, zone)}`
    : `/experts/${expert.id}`;
  return (
    <li className="relative flex flex-col gap-3 rounded-xl border bg-card p-4 shadow-sm transition-shadow focus-within:ring-2 focus-within:ring-ring hover:shadow-md">
      <div className="flex items-start gap-3">
        <Avatar name={expert.full_name} url={expert.avatar_url} />
        <div className="min-w-0 flex-1">
          <h2 className="text-base font-semibold leading-tight">
            <Link to={profile} className="after:absolute after:inset-0 focus-visible:outline-none">
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
      {inStretch && (
        <p className="flex items-center gap-1.5 text-sm font-medium">
          <CalendarCheck className="size-4 shrink-0" aria-hidden />
          First free in your stretch: {formatDateTime(inStretch.start, zone, cycle)}
        </p>
      )}
      <p className="flex items-center gap-1.5 text-sm text-muted-foreground">
        <CalendarClock className="size-4 shrink-0" aria-hidden />
        {expert.next_available_at ? <>Next free: {formatDateTime(expert.next_available_at, zone, cycle)}</> : "No free time soon"}
      </p>
    </li>
  );
}

import { Globe, Languages } from "lucide-react";
import type { components } from "@/api/schema";
import { Avatar } from "@/components/avatar";
import { Rating } from "@/components/rating";
import { Badge } from "@/components/ui/badge";
import { formatMoney } from "@/lib/money";
import { zoneLabel } from "@/lib/time";

type Expert = components["schemas"]["PublicExpertOut"];

const languageNames = new Intl.DisplayNames(["en"], { type: "language" });

function languageName(code: string): string {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** Who the expert is: picture, headline, bio, languages, zone, rating, and what they offer. */
export function ExpertProfile({ expert }: { expert: Expert }) {
  return (
    <article className="flex flex-col gap-6">
      <header className="flex flex-col gap-4 sm:flex-row sm:items-center">
        <Avatar name={expert.full_name} url={expert.avatar_url} className="size-20 text-2xl" />
        <div className="min-w-0">
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">{expert.full_name}</h1>
          <p className="text-lg text-muted-foreground">{expert.headline}</p>
          <div className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-muted-foreground">
            <Rating average={expert.rating_average} count={expert.review_count} />
            {expert.languages.length > 0 && (
              <span className="inline-flex items-center gap-1">
                <Languages className="size-4" aria-hidden /> {expert.languages.map(languageName).join(", ")}
              </span>
            )}
            <span className="inline-flex items-center gap-1">
              <Globe className="size-4" aria-hidden /> Lives in {zoneLabel(expert.time_zone)}
            </span>
          </div>
        </div>
      </header>
      {expert.bio && (
        <section aria-labelledby="about">
          <h2 id="about" className="mb-2 text-lg font-semibold">
            About
          </h2>
          <p className="whitespace-pre-line text-foreground/90">{expert.bio}</p>
        </section>
      )}
      <section aria-labelledby="areas">
        <h2 id="areas" className="mb-2 text-lg font-semibold">
          Consultations
        </h2>
        <ul className="flex flex-col gap-3">
          {expert.areas.map((area) => (
            <li key={area.id} className="rounded-lg border p-4">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 className="font-medium">{area.title}</h3>
                <p className="text-sm">
                  <span className="font-semibold">{formatMoney(area.price.amount, area.price.currency)}</span> · {area.duration_minutes} min
                </p>
              </div>
              <Badge variant="secondary" className="mt-1">
                {area.category}
              </Badge>
              {area.description && <p className="mt-2 text-sm text-muted-foreground">{area.description}</p>}
            </li>
          ))}
        </ul>
      </section>
    </article>
  );
}

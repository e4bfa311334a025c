import { useInfiniteQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { ClockSettings } from "@/components/clock-settings";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { useDocumentTitle } from "@/lib/document-title";
import { cn } from "@/lib/utils";
import { myBookingsQuery, type When } from "../api/bookings";
import { BookingRow } from "../components/booking-row";

const TABS: { when: When; label: string }[] = [
  { when: "upcoming", label: "Upcoming" },
  { when: "past", label: "Past" },
];

export function MyBookingsPage() {
  const [params, setParams] = useSearchParams();
  const when: When = params.get("when") === "past" ? "past" : "upcoming";
  useDocumentTitle(when === "past" ? "Past bookings" : "My bookings");
  const query = useInfiniteQuery(myBookingsQuery(when));
  const bookings = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="flex flex-col gap-4">
      <PageHeader title="My bookings" actions={<ClockSettings />} />
      <nav aria-label="Bookings" className="flex gap-1 border-b">
        {TABS.map((tab) => (
          <Link
            key={tab.when}
            to={tab.when === "upcoming" ? "/bookings" : "/bookings?when=past"}
            aria-current={tab.when === when ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-4 py-2 text-sm font-medium", tab.when === when ? "border-primary text-foreground" : "border-transparent text-muted-foreground hover:text-foreground")}
            onClick={(e) => {
              e.preventDefault();
              setParams(tab.when === "upcoming" ? {} : { when: "past" });
            }}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {query.isPending && <LoadingState label="Loading your bookings" />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && bookings.length === 0 && (
        <EmptyState title={when === "upcoming" ? "Nothing booked yet" : "No past bookings"}>
          {when === "upcoming" && (
            <Button asChild variant="link" className="h-auto p-0">
              <Link to="/experts">Find an expert</Link>
            </Button>
          )}
        </EmptyState>
      )}
      {bookings.length > 0 && (
        <ul aria-label={when === "upcoming" ? "Upcoming bookings" : "Past bookings"} className="flex flex-col gap-3">
          {bookings.map((b) => (
            <BookingRow key={b.id} booking={b} />
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <Button variant="outline" className="self-center" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </div>
  );
}

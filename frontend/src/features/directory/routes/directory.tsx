import { useInfiniteQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { AfterFirstPaint } from "@/components/after-first-paint";
import { ClockSettings } from "@/components/clock-settings";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { useDocumentTitle } from "@/lib/document-title";
import { directoryQuery } from "../api/experts";
import { filtersFromParams, filtersToParams, type ExpertFilters } from "../api/filters";
import { DirectoryFilters } from "../components/directory-filters";
import { ExpertCard } from "../components/expert-card";

export function DirectoryPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  useDocumentTitle(filters.q ? `Experts for “${filters.q}”` : "Find an expert");
  const query = useInfiniteQuery(directoryQuery(filters));
  const experts = query.data?.pages.flatMap((p) => p.items) ?? [];
  const change = (next: ExpertFilters) => setParams(filtersToParams(next));

  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Find an expert" description="Book a paid 1:1 video consultation." actions={<ClockSettings />} />
      {/* The heading is the page's largest content: it paints before the form and the results render. */}
      <AfterFirstPaint fallback={<LoadingState label="Loading experts" />}>
        <DirectoryFilters filters={filters} onChange={change} />
        <section aria-live="polite" aria-busy={query.isFetching} className="flex flex-col gap-4">
          {query.isPending && <LoadingState label="Loading experts" />}
          {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
          {query.isSuccess && experts.length === 0 && (
            <EmptyState title="No expert matches these filters">
              Try fewer words or remove a filter.{" "}
              <Button variant="link" className="h-auto p-0" onClick={() => setParams(new URLSearchParams())}>
                Clear all filters
              </Button>
            </EmptyState>
          )}
          {experts.length > 0 && (
            <ul aria-label="Experts" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {experts.map((expert) => (
                <ExpertCard key={expert.id} expert={expert} />
              ))}
            </ul>
          )}
          {query.hasNextPage && (
            <Button variant="outline" className="self-center" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? "Loading…" : "Load more"}
            </Button>
          )}
        </section>
      </AfterFirstPaint>
    </div>
  );
}

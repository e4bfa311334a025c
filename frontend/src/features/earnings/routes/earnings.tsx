import { useQuery } from "@tanstack/react-query";
import { Download } from "lucide-react";
import { useState } from "react";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { formatMoney } from "@/lib/money";
import { useViewerClock } from "@/lib/preferences";
import { problemMessage } from "@/lib/problem";
import { formatDate, formatDateTime } from "@/lib/time";
import { accountsQuery, balanceQuery, downloadEarningsCsv, earningsQuery, payoutHistoryQuery, policyQuery } from "../api/earnings";
import { BankAccount } from "../components/bank-account";
import { PayoutRequest } from "../components/payout-request";

const EARNING_BADGE: Record<string, [string, BadgeVariant]> = {
  in_escrow: ["In escrow", "warning"],
  released: ["Earned", "success"],
  refunded: ["Refunded", "secondary"],
};
const PAYOUT_BADGE: Record<string, [string, BadgeVariant]> = {
  pending: ["Requested", "warning"],
  processing: ["On its way", "warning"],
  paid: ["Paid", "success"],
  failed: ["Failed", "destructive"],
  reversed: ["Reversed", "destructive"],
};

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  return (
    <div className="rounded-lg border p-4">
      <p className="text-sm text-muted-foreground">{label}</p>
      <p className="text-2xl font-bold tabular-nums">{value}</p>
      <p className="text-xs text-muted-foreground">{hint}</p>
    </div>
  );
}

export function EarningsPage() {
  useDocumentTitle("Earnings");
  const { zone, cycle } = useViewerClock();
  const balances = useQuery(balanceQuery());
  const policy = useQuery(policyQuery());
  const accounts = useQuery(accountsQuery());
  const history = useQuery(payoutHistoryQuery());
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const lines = useQuery(earningsQuery(cursors[cursors.length - 1] ?? null));
  const [csvError, setCsvError] = useState<unknown>(null);
  if (balances.isError) return <ErrorState error={balances.error} onRetry={() => void balances.refetch()} />;
  if (balances.isPending || policy.isPending) return <LoadingState label="Loading your earnings" />;
  const currency = balances.data[0]?.currency ?? "NGN";
  const balance = balances.data.find((b) => b.currency === currency) ?? { currency, available: 0, pending: 0, paid_out: 0, held: 0 };
  const minimum = policy.data?.minimum_amount ?? 0;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Earnings"
        description="You keep 90% of each booking; the platform's fee is 10%."
        actions={
          <Button variant="outline" onClick={() => downloadEarningsCsv().catch(setCsvError)}>
            <Download aria-hidden /> Export CSV
          </Button>
        }
      />
      {csvError !== null && <ErrorState error={csvError} title="The export failed" />}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4" data-testid="balances">
        <Figure label="Available" value={formatMoney(balance.available, currency)} hint="Yours to withdraw" />
        <Figure label="In escrow" value={formatMoney(balance.held, currency)} hint="Paid for upcoming calls (before the fee)" />
        <Figure label="Payouts on their way" value={formatMoney(balance.pending, currency)} hint="Requested, not yet in your bank" />
        <Figure label="Paid out" value={formatMoney(balance.paid_out, currency)} hint="Reached your bank" />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Bank account</CardTitle>
          </CardHeader>
          <CardContent>
            <BankAccount currency={currency} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Request a payout</CardTitle>
          </CardHeader>
          <CardContent>
            <PayoutRequest key={balance.available} available={balance.available} minimum={minimum} currency={currency} hasAccount={(accounts.data ?? []).some((a) => a.currency === currency)} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Payouts</CardTitle>
        </CardHeader>
        <CardContent>
          {history.isError ? (
            <ErrorState error={history.error} />
          ) : (history.data ?? []).length === 0 ? (
            <p className="text-sm text-muted-foreground">No payouts yet.</p>
          ) : (
            <ul className="divide-y text-sm" aria-label="Payouts" data-testid="payouts">
              {(history.data ?? []).map((p) => {
                const [label, variant] = PAYOUT_BADGE[p.status] ?? [p.status, "outline"];
                return (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-status={p.status}>
                    <span className="tabular-nums">{formatMoney(p.amount, p.currency)}</span>
                    <span className="text-muted-foreground">{formatDateTime(p.created_at, zone, cycle)}</span>
                    <Badge variant={variant}>{label}</Badge>
                    {p.failure_reason && <span className="w-full text-red-700">{p.failure_reason}</span>}
                  </li>
                );
              })}
            </ul>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Bookings</CardTitle>
        </CardHeader>
        <CardContent className="flex flex-col gap-3">
          {lines.isError ? (
            <p className="text-sm text-red-700">{problemMessage(lines.error)}</p>
          ) : lines.isPending ? (
            <LoadingState rows={2} label="Loading bookings" />
          ) : lines.data.items.length === 0 ? (
            <p className="text-sm text-muted-foreground">No paid bookings yet.</p>
          ) : (
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Bookings table (scrolls sideways)">
              <table className="w-full min-w-[40rem] text-sm" data-testid="earnings-table">
                <caption className="sr-only">Each paid booking: price, the platform's fee and your net</caption>
                <thead>
                  <tr className="border-b text-left text-muted-foreground">
                    <th scope="col" className="py-2 pr-2 font-medium">Call</th>
                    <th scope="col" className="py-2 pr-2 font-medium">Client</th>
                    <th scope="col" className="py-2 pr-2 text-right font-medium">Price</th>
                    <th scope="col" className="py-2 pr-2 text-right font-medium">Fee (10%)</th>
                    <th scope="col" className="py-2 pr-2 text-right font-medium">Net</th>
                    <th scope="col" className="py-2 font-medium">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {lines.data.items.map((line) => {
                    const [label, variant] = EARNING_BADGE[line.status] ?? [line.status, "outline"];
                    return (
                      <tr key={line.booking_id} className="border-b last:border-0" data-booking={line.booking_id}>
                        <td className="py-2 pr-2">
                          {line.area_title}
                          <span className="block text-xs text-muted-foreground">{formatDate(line.starts_at, zone)}</span>
                        </td>
                        <td className="py-2 pr-2">{line.client_name}</td>
                        <td className="py-2 pr-2 text-right tabular-nums">{formatMoney(line.price, line.currency)}</td>
                        <td className="py-2 pr-2 text-right tabular-nums">{formatMoney(line.fee, line.currency)}</td>
                        <td className="py-2 pr-2 text-right tabular-nums" data-testid="net">
                          {formatMoney(line.net, line.currency)}
                          {!line.settled && <span className="block text-xs text-muted-foreground">when completed</span>}
                        </td>
                        <td className="py-2">
                          <Badge variant={variant}>{label}</Badge>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          <div className="flex gap-2">
            <Button size="sm" variant="outline" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              Newer
            </Button>
            <Button size="sm" variant="outline" disabled={!lines.data?.next_cursor} onClick={() => lines.data?.next_cursor && setCursors([...cursors, lines.data.next_cursor])}>
              Older
            </Button>
          </div>
        </CardContent>
      </Card>
    </div>
  );
}

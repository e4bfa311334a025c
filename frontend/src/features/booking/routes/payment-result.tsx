import { useQuery } from "@tanstack/react-query";
import { CheckCircle2, Clock, XCircle } from "lucide-react";
import { Link, useSearchParams } from "react-router";
import { ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { useDocumentTitle } from "@/lib/document-title";
import { formatMoney } from "@/lib/money";
import { paymentQuery } from "../api/booking";

const FAILED = new Set(["failed", "cancelled", "expired"]);

/** Where Paystack sends the payer back (`/payments/callback?reference=…`): the API verifies the payment. */
export function PaymentResultPage() {
  const [params] = useSearchParams();
  const reference = params.get("reference") ?? params.get("trxref") ?? "";
  const query = useQuery({ ...paymentQuery(reference), enabled: reference !== "" });
  const payment = query.data;
  const failed = payment && FAILED.has(payment.status);
  const pending = payment?.status === "pending";
  useDocumentTitle(!payment ? "Checking your payment" : failed ? "Payment failed" : pending ? "Payment pending" : "Payment received");

  return (
    <div className="mx-auto flex max-w-xl flex-col gap-4">
      <PageHeader title="Your payment" />
      {!reference && <ErrorState title="No payment to check" error={new Error("This page needs the reference Paystack sends back. Open your booking instead.")} />}
      {query.isPending && reference && <LoadingState rows={1} label="Checking your payment with Paystack" />}
      {query.isError && <ErrorState error={query.error} onRetry={() => void query.refetch()} />}
      {payment && (
        <Card>
          <CardContent className="flex flex-col gap-4 pt-4 sm:pt-6">
            {failed ? (
              <>
                <p className="flex items-center gap-2 text-lg font-semibold text-red-800">
                  <XCircle className="size-6" aria-hidden /> The payment did not go through
                </p>
                <p>No money was taken. The time is not booked: pick a time again and pay to book it.</p>
              </>
            ) : pending ? (
              <>
                <p className="flex items-center gap-2 text-lg font-semibold">
                  <Clock className="size-6" aria-hidden /> Waiting for Paystack to confirm…
                </p>
                <p>This usually takes a few seconds; this page updates by itself.</p>
                {payment.authorization_url && (
                  <Button asChild variant="outline" className="self-start">
                    <a href={payment.authorization_url}>Return to the checkout</a>
                  </Button>
                )}
              </>
            ) : (
              <>
                <p className="flex items-center gap-2 text-lg font-semibold text-emerald-800" data-testid="payment-status">
                  <CheckCircle2 className="size-6" aria-hidden /> Paid: {formatMoney(payment.amount, payment.currency)}
                </p>
                <p>
                  {payment.status === "held"
                    ? "Your money is held safely until the consultation takes place. The expert now confirms the time; you will get a notification and an email."
                    : `Payment status: ${payment.status.replaceAll("_", " ")}.`}
                </p>
              </>
            )}
            <p className="text-xs text-muted-foreground">Reference {payment.reference}</p>
            <div className="flex flex-wrap gap-2">
              <Button asChild>
                <Link to={`/bookings/${payment.booking_id}`}>View the booking</Link>
              </Button>
              <Button asChild variant="outline">
                <Link to={failed ? "/experts" : "/bookings"}>{failed ? "Find a time again" : "My bookings"}</Link>
              </Button>
            </div>
          </CardContent>
        </Card>
      )}
    </div>
  );
}

import { useState } from "react";
import { toast } from "sonner";
import { FormField, fieldProps } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { formatMoney } from "@/lib/money";
import { problemMessage } from "@/lib/problem";
import { useRequestPayout } from "../api/earnings";

function digits(currency: string): number {
  return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Withdraw from the available balance: at least the minimum, at most what is available. */
export function PayoutRequest({ available, minimum, currency, hasAccount }: { available: number; minimum: number; currency: string; hasAccount: boolean }) {
  const scale = 10 ** digits(currency);
  const [text, setText] = useState(available >= minimum ? String(available / scale) : "");
  const request = useRequestPayout();
  const amount = Math.round(Number(text.replaceAll(",", "")) * scale);
  const error = !text
    ? undefined
    : !Number.isFinite(amount) || amount <= 0
      ? "Enter an amount."
      : amount < minimum
        ? `The minimum payout is ${formatMoney(minimum, currency)}.`
        : amount > available
          ? `Only ${formatMoney(available, currency)} is available.`
          : undefined;
  if (!hasAccount) return <p className="text-sm text-muted-foreground">Add a bank account to request payouts.</p>;
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (error || !text) return;
        request.mutate({ amount, currency }, { onSuccess: (p) => toast(`Payout of ${formatMoney(p.amount, p.currency)} requested`) });
      }}
    >
      <FormField id="payout-amount" label={`Amount (${currency})`} hint={`Minimum ${formatMoney(minimum, currency)}; available ${formatMoney(available, currency)}.`} error={error}>
        <Input {...fieldProps("payout-amount", error, true)} inputMode="decimal" value={text} onChange={(e) => setText(e.target.value)} className="max-w-48" />
      </FormField>
      {request.isError && <Alert variant="destructive">{problemMessage(request.error)}</Alert>}
      <Button type="submit" className="self-start" disabled={!!error || !text || request.isPending || available < minimum}>
        {request.isPending ? "Requesting…" : "Request payout"}
      </Button>
    </form>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { FormField, fieldProps } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { problemMessage } from "@/lib/problem";
import { accountsQuery, banksQuery, useResolveAccount, useSaveAccount } from "../api/earnings";

/** Where payouts go: a bank from the provider's list, the account holder's name resolved before saving. */
export function BankAccount({ currency }: { currency: string }) {
  const accounts = useQuery(accountsQuery());
  const banks = useQuery(banksQuery(currency));
  const resolve = useResolveAccount();
  const saveAccount = useSaveAccount();
  const [editing, setEditing] = useState(false);
  const [bank, setBank] = useState("");
  const [number, setNumber] = useState("");
  const current = accounts.data?.find((a) => a.currency === currency);
  const bankName = (code: string) => banks.data?.find((b) => b.code === code)?.name ?? code;
  const numberError = number && !/^\d{10}$/.test(number) ? "Enter the 10-digit account number." : undefined;
  const resolved = resolve.data && resolve.variables?.account_number === number && resolve.variables.bank_code === bank ? resolve.data : null;

  if (current && !editing) {
    return (
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm" data-testid="bank-account">
        <p>
          Payouts go to <strong>{current.name}</strong>, {bankName(current.bank_code)} ••••{current.account_last4}.
        </p>
        <Button size="sm" variant="outline" onClick={() => setEditing(true)}>
          Change
        </Button>
      </div>
    );
  }
  return (
    <form
      className="flex flex-col gap-3"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!resolved) return;
        saveAccount.mutate(
          { bank_code: bank, account_number: number, name: resolved.account_name, currency },
          { onSuccess: () => (toast("Bank account saved"), setEditing(false), setNumber(""), resolve.reset()) },
        );
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <FormField id="bank" label="Bank">
          <NativeSelect id="bank" value={bank} onChange={(e) => (setBank(e.target.value), resolve.reset())}>
            <option value="">Choose your bank…</option>
            {(banks.data ?? []).map((b) => (
              <option key={b.code} value={b.code}>
                {b.name}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField id="account-number" label="Account number" error={numberError}>
          <Input {...fieldProps("account-number", numberError)} inputMode="numeric" autoComplete="off" value={number} onChange={(e) => (setNumber(e.target.value.replace(/\D/g, "")), resolve.reset())} maxLength={10} />
        </FormField>
      </div>
      {banks.isError && <Alert variant="destructive">{problemMessage(banks.error)}</Alert>}
      {resolve.isError && <Alert variant="destructive">{problemMessage(resolve.error)}</Alert>}
      {resolved && (
        <Alert variant="success" data-testid="resolved-name">
          The bank says this account belongs to <strong>{resolved.account_name}</strong>. Save it if that is you.
        </Alert>
      )}
      {saveAccount.isError && <Alert variant="destructive">{problemMessage(saveAccount.error)}</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="outline" disabled={!bank || number.length !== 10 || resolve.isPending} onClick={() => resolve.mutate({ bank_code: bank, account_number: number })}>
          {resolve.isPending ? "Checking…" : "Check account name"}
        </Button>
        <Button type="submit" disabled={!resolved || saveAccount.isPending}>
          {saveAccount.isPending ? "Saving…" : "Save bank account"}
        </Button>
        {current && (
          <Button type="button" variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormField, fieldProps } from "@/components/form-field";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { formatMoney } from "@/lib/money";
import { toProblem } from "@/lib/problem";
import { categoriesQuery, type Area } from "../api/areas";
import { AREA_LIMITS, DURATIONS, toMajorText, toMinorUnits } from "./limits";

export interface AreaValues {
  title: string;
  category: string;
  description: string;
  price: number;
  currency: string;
  duration_minutes: number;
}

const CURRENCIES = ["NGN", "GHS", "ZAR", "KES", "USD", "EUR", "GBP"];

/** Create or edit an area; every limit is shown next to its field and checked before submit. */
export function AreaForm({ initial, submitLabel, pending, error, onSubmit, idPrefix }: { initial?: Area; submitLabel: string; pending: boolean; error: unknown; onSubmit: (v: AreaValues) => void; idPrefix: string }) {
  const categories = useQuery(categoriesQuery());
  const [title, setTitle] = useState(initial?.title ?? "");
  const [category, setCategory] = useState(initial?.category ?? "");
  const [description, setDescription] = useState(initial?.description ?? "");
  const [currency, setCurrency] = useState(initial?.price.currency ?? "NGN");
  const [price, setPrice] = useState(initial ? toMajorText(initial.price.amount, initial.price.currency) : "");
  const [duration, setDuration] = useState(initial?.duration_minutes ?? 60);
  const [tried, setTried] = useState(false);
  const minor = toMinorUnits(price, currency);
  const problem = error ? toProblem(error) : null;
  const errors = {
    title: title.trim().length === 0 ? "A title is required." : title.length > AREA_LIMITS.title ? `At most ${AREA_LIMITS.title} characters.` : problem?.fieldError("title"),
    category: category ? problem?.fieldError("category") : "Choose a category.",
    description: description.length > AREA_LIMITS.description ? `At most ${AREA_LIMITS.description} characters.` : undefined,
    price: minor === null ? "Enter a positive amount, e.g. 25000 or 25000.50." : problem?.fieldError("price.amount"),
  };
  const invalid = Object.values(errors).some(Boolean);
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(true);
        if (!invalid && minor !== null) onSubmit({ title: title.trim(), category, description, price: minor, currency, duration_minutes: duration });
      }}
    >
      {problem && <Alert variant="destructive">{problem.detail}</Alert>}
      <FormField id={id("title")} label={`Title (${title.length}/${AREA_LIMITS.title})`} error={tried ? errors.title : undefined}>
        <Input {...fieldProps(id("title"), tried ? errors.title : undefined)} value={title} maxLength={AREA_LIMITS.title} onChange={(e) => setTitle(e.target.value)} placeholder="Pitch deck review" />
      </FormField>
      <FormField id={id("category")} label="Category" error={tried ? errors.category : undefined}>
        <NativeSelect {...fieldProps(id("category"), tried ? errors.category : undefined)} value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">Choose…</option>
          {(categories.data ?? []).map((c) => (
            <option key={c.slug} value={c.slug}>
              {c.name}
            </option>
          ))}
        </NativeSelect>
      </FormField>
      <FormField id={id("description")} label={`What a call covers (${description.length}/${AREA_LIMITS.description})`} error={errors.description}>
        <Textarea {...fieldProps(id("description"), errors.description)} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-3">
        <FormField id={id("price")} label="Price" hint={minor !== null ? `Clients pay ${formatMoney(minor, currency)}; you receive ${formatMoney(minor - Math.floor((minor * 1000 + 5000) / 10000), currency)} (90%).` : "The platform keeps 10%."} error={tried ? errors.price : undefined}>
          <Input {...fieldProps(id("price"), tried ? errors.price : undefined, true)} inputMode="decimal" value={price} onChange={(e) => setPrice(e.target.value)} />
        </FormField>
        <FormField id={id("currency")} label="Currency">
          <NativeSelect id={id("currency")} value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField id={id("duration")} label="Call length" hint={`${AREA_LIMITS.minDuration}–${AREA_LIMITS.maxDuration} minutes, in steps of ${AREA_LIMITS.durationStep}.`}>
          <NativeSelect id={id("duration")} value={duration} onChange={(e) => setDuration(Number(e.target.value))} aria-describedby={`${id("duration")}-hint`}>
            {DURATIONS.map((d) => (
              <option key={d} value={d}>
                {d} minutes
              </option>
            ))}
          </NativeSelect>
        </FormField>
      </div>
      <Button type="submit" disabled={pending} className="self-start">
        {pending ? "Saving…" : submitLabel}
      </Button>
    </form>
  );
}

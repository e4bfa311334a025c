import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/select";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { useDocumentTitle } from "@/lib/document-title";
import { toProblem } from "@/lib/problem";
import { localDay, zoneLabel } from "@/lib/time";
import { myAreasForSlotsQuery, myAvailabilityQuery, useSaveAvailability, type AvailabilityDoc, type BookingSettings, type Override } from "../api/availability";
import { OverridesEditor } from "../components/overrides-editor";
import { SettingsForm } from "../components/settings-form";
import { SlotPreview } from "../components/slot-preview";
import { WeeklyEditor, type RowErrors } from "../components/weekly-editor";
import { WhyNotBookable } from "../components/why-not-bookable";
import { ruleIndex, rulesToWeek, weekHasErrors, weekToRules, type Week } from "../lib/weekly";

interface Draft {
  zone: string;
  week: Week;
  overrides: Override[];
  settings: BookingSettings;
}

const DEFAULT_SETTINGS: BookingSettings = { min_notice_minutes: 720, horizon_days: 60, buffer_before_minutes: 0, buffer_after_minutes: 0, slot_step_minutes: 15 };

function draftOf(doc: AvailabilityDoc): Draft {
  return { zone: doc.time_zone ?? "UTC", week: rulesToWeek(doc.rules ?? []), overrides: doc.overrides ?? [], settings: doc.settings ?? DEFAULT_SETTINGS };
}

function docOf(draft: Draft): AvailabilityDoc {
  return { time_zone: draft.zone, rules: weekToRules(draft.week), overrides: draft.overrides, settings: draft.settings };
}

/** The API's field errors on a saved document, placed where the person typed. */
function placeErrors(week: Week, fields: { field: string | null; message: string }[]): { rows: RowErrors; other: Record<string, string> } {
  const rows: RowErrors = {};
  const other: Record<string, string> = {};
  for (const { field, message } of fields) {
    const rule = field?.match(/^rules\[(\d+)\]/);
    const at = rule ? ruleIndex(week, Number(rule[1])) : null;
    if (at) rows[`${at.weekday}:${at.row}`] = message;
    else if (field?.startsWith("overrides")) other.overrides = message;
    else if (field) other[field] = message;
  }
  return { rows, other };
}

export function AvailabilityPage() {
  useDocumentTitle("Availability");
  const saved = useQuery(myAvailabilityQuery());
  const areas = useQuery(myAreasForSlotsQuery());
  const save = useSaveAvailability();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [previewArea, setPreviewArea] = useState<string>("");
  useEffect(() => {
    if (saved.data && draft === null) setDraft(draftOf(saved.data));
  }, [saved.data, draft]);
  const activeAreas = useMemo(() => (areas.data ?? []).filter((a) => a.active), [areas.data]);
  const area = activeAreas.find((a) => a.id === previewArea) ?? activeAreas[0];
  const problem = save.isError ? toProblem(save.error) : null;
  const placed = draft && problem ? placeErrors(draft.week, problem.body.errors ?? []) : { rows: {}, other: {} };
  const changed = draft !== null && saved.data !== undefined && JSON.stringify(docOf(draft)) !== JSON.stringify(docOf(draftOf(saved.data)));

  if (saved.isPending || draft === null) return saved.isError ? <ErrorState error={saved.error} onRetry={() => void saved.refetch()} /> : <LoadingState label="Loading your availability" />;
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const onSave = () =>
    save.mutate(docOf(draft), {
      onSuccess: (doc) => {
        setDraft(draftOf(doc));
        toast("Availability saved", { description: "The preview below shows what clients can book now." });
      },
    });

  return (
    <div className="flex flex-col gap-8 pb-24">
      <PageHeader
        title="Availability"
        description={<>Your hours are in {zoneLabel(draft.zone)}. Clients see them in their own zone.</>}
        actions={<TimeZonePicker value={draft.zone} onChange={(zone) => update({ zone })} label="Your time zone" />}
      />
      {problem && (
        <Alert variant="destructive">
          Not saved: {problem.detail}
          {placed.other.time_zone ? ` (${placed.other.time_zone})` : ""}
        </Alert>
      )}
      <section aria-labelledby="weekly-heading" className="flex flex-col gap-3">
        <h2 id="weekly-heading" className="text-lg font-semibold">
          Weekly hours
        </h2>
        <WeeklyEditor week={draft.week} onChange={(week) => update({ week })} serverErrors={placed.rows} />
      </section>
      <section aria-labelledby="overrides-heading" className="flex flex-col gap-3">
        <h2 id="overrides-heading" className="text-lg font-semibold">
          Date changes
        </h2>
        <OverridesEditor overrides={draft.overrides} onChange={(overrides) => update({ overrides })} today={localDay(new Date(), draft.zone)} error={placed.other.overrides} />
      </section>
      <section aria-labelledby="settings-heading" className="flex flex-col gap-3">
        <h2 id="settings-heading" className="text-lg font-semibold">
          Booking settings
        </h2>
        <SettingsForm settings={draft.settings} onChange={(settings) => update({ settings })} errors={placed.other} />
      </section>
      {activeAreas.length === 0 ? (
        <EmptyState title="No areas yet">Add an area of expertise to preview the times clients can book.</EmptyState>
      ) : (
        <>
          {activeAreas.length > 1 && (
            <label className="flex items-center gap-2 text-sm">
              Preview for
              <NativeSelect value={area?.id} onChange={(e) => setPreviewArea(e.target.value)} className="w-auto">
                {activeAreas.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.title}
                  </option>
                ))}
              </NativeSelect>
            </label>
          )}
          {changed && <p className="text-sm text-amber-800">The preview shows your saved hours; save to see your changes.</p>}
          {area && <SlotPreview key={`${area.id}:${saved.data?.time_zone}`} area={area} expertZone={saved.data?.time_zone ?? draft.zone} />}
          <WhyNotBookable areas={activeAreas} expertZone={saved.data?.time_zone ?? draft.zone} />
        </>
      )}
      <div className="fixed inset-x-0 bottom-0 z-30 border-t bg-background/95 p-3 backdrop-blur">
        <div className="mx-auto flex max-w-6xl items-center justify-end gap-3 px-3 sm:px-6">
          {changed && <span className="text-sm text-muted-foreground">Unsaved changes</span>}
          <Button type="button" variant="outline" disabled={!changed || save.isPending} onClick={() => saved.data && setDraft(draftOf(saved.data))}>
            Discard
          </Button>
          <Button type="button" onClick={onSave} disabled={!changed || save.isPending || weekHasErrors(draft.week)}>
            {save.isPending ? "Saving…" : "Save availability"}
          </Button>
        </div>
      </div>
    </div>
  );
}

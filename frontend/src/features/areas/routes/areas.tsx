import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { toast } from "sonner";
import { EmptyState, ErrorState, LoadingState, PageHeader } from "@/components/page-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { useDocumentTitle } from "@/lib/document-title";
import { formatMoney } from "@/lib/money";
import { problemMessage } from "@/lib/problem";
import { myAreasQuery, useCreateArea, useDeactivateArea, useUpdateArea, type Area } from "../api/areas";
import { AreaForm, type AreaValues } from "../components/area-form";
import { AREA_LIMITS } from "../components/limits";

function body(values: AreaValues) {
  return { title: values.title, category: values.category, description: values.description, price: { amount: values.price, currency: values.currency }, duration_minutes: values.duration_minutes };
}

function AreaCard({ area, onEdit }: { area: Area; onEdit: () => void }) {
  const deactivate = useDeactivateArea();
  const update = useUpdateArea();
  return (
    <li className="flex flex-col gap-2 rounded-lg border p-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="flex items-center gap-2 font-medium">
          {area.title} {!area.active && <Badge variant="secondary">Deactivated</Badge>}
        </p>
        <p className="text-sm text-muted-foreground">
          {formatMoney(area.price.amount, area.price.currency)} · {area.duration_minutes} minutes · {area.category}
        </p>
        {(deactivate.isError || update.isError) && <p className="text-sm text-red-700">{problemMessage(deactivate.error ?? update.error)}</p>}
      </div>
      <div className="flex gap-2">
        <Button variant="outline" size="sm" onClick={onEdit}>
          Edit
        </Button>
        {area.active ? (
          <Button variant="outline" size="sm" disabled={deactivate.isPending} onClick={() => deactivate.mutate(area.id, { onSuccess: () => toast(`“${area.title}” is no longer offered`) })}>
            Deactivate
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled={update.isPending} onClick={() => update.mutate({ id: area.id, changes: { active: true } })}>
            Offer again
          </Button>
        )}
      </div>
    </li>
  );
}

export function AreasPage() {
  useDocumentTitle("Areas");
  const areas = useQuery(myAreasQuery());
  const create = useCreateArea();
  const update = useUpdateArea();
  const [editing, setEditing] = useState<Area | null>(null);
  const [formKey, setFormKey] = useState(0);
  if (areas.isError) return <ErrorState error={areas.error} onRetry={() => void areas.refetch()} />;
  if (areas.isPending) return <LoadingState label="Loading your areas" />;
  const active = areas.data.filter((a) => a.active).length;
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6">
      <PageHeader title="Areas of expertise" description={<>Each area is something clients book: a topic, a price and a call length. <Link className="underline underline-offset-4" to="/expert/setup">Set-up</Link></>} />
      {areas.data.length === 0 ? (
        <EmptyState title="No areas yet">Add your first one below.</EmptyState>
      ) : (
        <ul className="flex flex-col gap-2" aria-label="Your areas">
          {areas.data.map((area) => (
            <AreaCard key={area.id} area={area} onEdit={() => setEditing(area)} />
          ))}
        </ul>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Add an area</CardTitle>
          <p className="text-sm text-muted-foreground">
            {active} of {AREA_LIMITS.maxActive} active areas.
          </p>
        </CardHeader>
        <CardContent>
          {active >= AREA_LIMITS.maxActive ? (
            <p className="text-sm">You offer the most areas allowed ({AREA_LIMITS.maxActive}); deactivate one to add another.</p>
          ) : (
            <AreaForm
              key={formKey}
              idPrefix="new-area"
              submitLabel="Add area"
              pending={create.isPending}
              error={create.error}
              onSubmit={(values) => create.mutate(body(values), { onSuccess: () => (toast("Area added"), setFormKey((k) => k + 1), create.reset()) })}
            />
          )}
        </CardContent>
      </Card>
      <Dialog open={editing !== null} onOpenChange={(open) => !open && (setEditing(null), update.reset())}>
        <DialogContent className="max-h-[90dvh] overflow-y-auto">
          <DialogHeader>
            <DialogTitle>Edit “{editing?.title}”</DialogTitle>
            <DialogDescription>Existing bookings keep the price and length they were booked at.</DialogDescription>
          </DialogHeader>
          {editing && (
            <AreaForm
              initial={editing}
              idPrefix="edit-area"
              submitLabel="Save changes"
              pending={update.isPending}
              error={update.error}
              onSubmit={(values) => update.mutate({ id: editing.id, changes: body(values) }, { onSuccess: () => (toast("Area saved"), setEditing(null)) })}
            />
          )}
        </DialogContent>
      </Dialog>
    </div>
  );
}

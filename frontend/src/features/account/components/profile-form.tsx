import { useState } from "react";
import { FormField } from "@/components/form-field";
import { TimeZonePicker } from "@/components/time-zone-picker";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { problemMessage } from "@/lib/problem";
import { useUpdateMe, type Me } from "../api/account";

/** Name and home time zone (used in emails and invites; pages follow the zone chosen in this browser). */
export function ProfileForm({ me }: { me: Me }) {
  const [name, setName] = useState(me.full_name);
  const [zone, setZone] = useState(me.time_zone);
  const update = useUpdateMe();
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ full_name: name.trim(), time_zone: zone });
      }}
    >
      <FormField id="full_name" label="Full name" error={name.trim() ? undefined : "Enter your name."}>
        <Input id="full_name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
      </FormField>
      <div className="flex flex-col gap-1.5">
        <span className="text-sm font-medium">Home time zone (for emails and invites)</span>
        <TimeZonePicker value={zone} onChange={setZone} label="Home time zone" />
      </div>
      <p className="text-sm text-muted-foreground">Email: {me.email}{me.email_verified ? " (verified)" : " (not verified yet)"}</p>
      {update.isError && <Alert variant="destructive">{problemMessage(update.error)}</Alert>}
      {update.isSuccess && <Alert variant="success">Saved.</Alert>}
      <Button type="submit" className="self-start" disabled={update.isPending || !name.trim()}>
        Save
      </Button>
    </form>
  );
}

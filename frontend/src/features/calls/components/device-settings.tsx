import { useMediaDeviceSelect } from "@livekit/components-react";
import { Settings } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { useDeviceChoices, type DeviceChoices } from "../lib/device-choices";
import { DeviceSelect } from "./device-select";

function LiveDeviceSelect({ label, kind, remember }: { label: string; kind: MediaDeviceKind; remember: keyof Pick<DeviceChoices, "videoDeviceId" | "audioDeviceId" | "audioOutputId"> }) {
  const choose = useDeviceChoices((s) => s.choose);
  const { devices, activeDeviceId, setActiveMediaDevice } = useMediaDeviceSelect({ kind });
  return (
    <DeviceSelect
      label={label}
      kind={kind}
      devices={devices}
      value={activeDeviceId === "default" ? "" : activeDeviceId}
      onChange={(id) => {
        void setActiveMediaDevice(id || "default");
        choose({ [remember]: id });
      }}
    />
  );
}

/** Switch camera, microphone or speaker without leaving the call; the choice is remembered for next time. */
export function DeviceSettings() {
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="secondary" size="icon" aria-label="Devices">
          <Settings aria-hidden />
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Devices</DialogTitle>
        </DialogHeader>
        <div className="flex flex-col gap-3">
          <LiveDeviceSelect label="Camera" kind="videoinput" remember="videoDeviceId" />
          <LiveDeviceSelect label="Microphone" kind="audioinput" remember="audioDeviceId" />
          <LiveDeviceSelect label="Speaker" kind="audiooutput" remember="audioOutputId" />
        </div>
      </DialogContent>
    </Dialog>
  );
}

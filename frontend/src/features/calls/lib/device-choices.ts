import { create } from "zustand";
import { createJSONStorage, persist } from "zustand/middleware";

/** The lobby's choices, remembered in this browser between calls (empty id: the system default). */
export interface DeviceChoices {
  videoEnabled: boolean;
  audioEnabled: boolean;
  videoDeviceId: string;
  audioDeviceId: string;
  audioOutputId: string;
}

interface DeviceChoicesStore extends DeviceChoices {
  choose: (change: Partial<DeviceChoices>) => void;
}

export const useDeviceChoices = create<DeviceChoicesStore>()(
  persist(
    (set) => ({
      videoEnabled: true,
      audioEnabled: true,
      videoDeviceId: "",
      audioDeviceId: "",
      audioOutputId: "",
      choose: (change) => set(change),
    }),
    { name: "procus.call-devices", storage: createJSONStorage(() => localStorage) },
  ),
);

import { queryOptions, useMutation } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { myExpertProfileQuery } from "@/lib/shared-queries";
import type { NoteVersion } from "../lib/notes-sync";

export type CalendarBooking = components["schemas"]["BookingOut"];
export type BookingEvent = components["schemas"]["BookingEventOut"];
type Status = components["schemas"]["BookingStatus"];

const CALENDAR_STATUSES: Status[] = ["confirmed", "reschedule_proposed", "completed", "no_show_client", "no_show_expert", "no_show_both"];

export const calendarKeys = {
  list: (when: "upcoming" | "past") => [scopes.bookings, "expert", "calendar", when] as const,
  notes: (id: string) => [scopes.calls, "notes", id] as const,
};

export const calendarQuery = (when: "upcoming" | "past") =>
  queryOptions({
    queryKey: calendarKeys.list(when),
    queryFn: async () =>
      unwrap(await api.GET("/v1/bookings", { params: { query: { role: "expert", when, status: CALENDAR_STATUSES, limit: 100 } } })),
  });

export { bookingEventsQuery, bookingQuery } from "@/lib/shared-queries";

export const calendarProfileQuery = () => queryOptions({ ...myExpertProfileQuery(), staleTime: 300_000 });

/** The notes as last saved; refetched when the tab regains focus, so another tab's save shows up. */
export const notesQuery = (id: string) =>
  queryOptions({
    queryKey: calendarKeys.notes(id),
    queryFn: async (): Promise<NoteVersion> => unwrap(await api.GET("/v1/calls/{booking_id}/notes", { params: { path: { booking_id: id } } })),
    refetchOnWindowFocus: "always",
  });

export function useSaveNotes(id: string) {
  return useMutation({
    mutationFn: async (body: { body: string; base_version: number }): Promise<NoteVersion> =>
      unwrap(await api.PUT("/v1/calls/{booking_id}/notes", { params: { path: { booking_id: id } }, body })),
  });
}

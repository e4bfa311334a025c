import { queryOptions, useMutation } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import type { NoteVersion } from "../lib/notes-sync";

export type CalendarBooking = components["schemas"]["BookingOut"];
export type BookingEvent = components["schemas"]["BookingEventOut"];
type Status = components["schemas"]["BookingStatus"];

const CALENDAR_STATUSES: Status[] = ["confirmed", "reschedule_proposed", "completed", "no_show_client", "no_show_expert", "no_show_both"];

export const calendarKeys = {
  list: (when: "upcoming" | "past") => [scopes.bookings, "expert", "calendar", when] as const,
  booking: (id: string) => [scopes.bookings, "detail", id] as const,
  events: (id: string) => [scopes.bookings, "events", id] as const,
  notes: (id: string) => [scopes.calls, "notes", id] as const,
  profile: () => [scopes.experts, "me", "profile"] as const,
};

export const calendarQuery = (when: "upcoming" | "past") =>
  queryOptions({
    queryKey: calendarKeys.list(when),
    queryFn: async () =>
      unwrap(await api.GET("/v1/bookings", { params: { query: { role: "expert", when, status: CALENDAR_STATUSES, limit: 100 } } })),
  });

export const bookingQuery = (id: string) =>
  queryOptions({ queryKey: calendarKeys.booking(id), queryFn: async () => unwrap(await api.GET("/v1/bookings/{booking_id}", { params: { path: { booking_id: id } } })) });

export const bookingEventsQuery = (id: string) =>
  queryOptions({ queryKey: calendarKeys.events(id), queryFn: async () => unwrap(await api.GET("/v1/bookings/{booking_id}/events", { params: { path: { booking_id: id } } })) });

export const calendarProfileQuery = () =>
  queryOptions({ queryKey: calendarKeys.profile(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/profile")), staleTime: 300_000 });

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

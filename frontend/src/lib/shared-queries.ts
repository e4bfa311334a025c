import { queryOptions } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

/**
 * Server data that several features read, with its one key and fetcher. Features never import each
 * other, so what more than one of them shows is defined here once: every reader shares one cache entry,
 * and a mutation that updates it (`setQueryData(sharedKeys.booking(id), …)`) updates every screen. A
 * feature may add options of its own (`{ ...myExpertProfileQuery(), staleTime }`), never another key.
 */
export const sharedKeys = {
  me: () => [scopes.me] as const,
  booking: (id: string) => [scopes.bookings, "detail", id] as const,
  bookingEvents: (id: string) => [scopes.bookings, "events", id] as const,
  myExpertProfile: () => [scopes.experts, "me", "profile"] as const,
  myAreas: () => [scopes.experts, "me", "areas"] as const,
  myAvailability: () => [scopes.availability, "mine"] as const,
  mySlots: (areaId: string, from: string, to: string) => [scopes.slots, "mine", areaId, from, to] as const,
  categories: () => [scopes.categories] as const,
};

export type Me = components["schemas"]["MeOut"];

/** The signed-in user's own account, with the avatar URL (the account page, the avatar picker, the header). */
export const meQuery = () => queryOptions({ queryKey: sharedKeys.me(), queryFn: async () => unwrap(await api.GET("/v1/me")) });

export const bookingQuery = (id: string) =>
  queryOptions({
    queryKey: sharedKeys.booking(id),
    queryFn: async () => unwrap(await api.GET("/v1/bookings/{booking_id}", { params: { path: { booking_id: id } } })),
  });

export const bookingEventsQuery = (id: string) =>
  queryOptions({
    queryKey: sharedKeys.bookingEvents(id),
    queryFn: async () => unwrap(await api.GET("/v1/bookings/{booking_id}/events", { params: { path: { booking_id: id } } })),
  });

export const myExpertProfileQuery = () =>
  queryOptions({ queryKey: sharedKeys.myExpertProfile(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/profile")) });

export const myAreasQuery = () => queryOptions({ queryKey: sharedKeys.myAreas(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/areas")) });

export const myAvailabilityQuery = () =>
  queryOptions({ queryKey: sharedKeys.myAvailability(), queryFn: async () => unwrap(await api.GET("/v1/experts/me/availability")) });

/** Exactly the slots clients get for one of the expert's areas, also while the profile is not listed yet. */
export const mySlotsQuery = (areaId: string, from: string, to: string) =>
  queryOptions({
    queryKey: sharedKeys.mySlots(areaId, from, to),
    queryFn: async () => unwrap(await api.GET("/v1/experts/me/slots", { params: { query: { area_id: areaId, from, to } } })),
  });

/** The categories experts file their areas under; they change rarely. */
export const categoriesQuery = () =>
  queryOptions({ queryKey: sharedKeys.categories(), queryFn: async () => unwrap(await api.GET("/v1/categories")), staleTime: 3_600_000 });

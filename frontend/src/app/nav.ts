import type { Role } from "@/api/session-types";

/** Header links; each feature's pages are reached from here. `roles` limits who sees a link. */
export interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
}

export const navItems: NavItem[] = [
  { to: "/experts", label: "Find an expert" },
  { to: "/bookings", label: "My bookings", roles: ["client", "expert", "admin"] },
  { to: "/become-expert", label: "Offer consultations", roles: ["client"] },
  { to: "/expert/requests", label: "Requests", roles: ["expert"] },
  { to: "/expert/calendar", label: "Calendar", roles: ["expert"] },
  { to: "/expert/availability", label: "Availability", roles: ["expert"] },
  { to: "/expert/areas", label: "Areas", roles: ["expert"] },
  { to: "/expert/earnings", label: "Earnings", roles: ["expert"] },
  { to: "/expert/setup", label: "Profile", roles: ["expert"] },
];

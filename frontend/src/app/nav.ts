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
];

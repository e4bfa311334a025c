import type { Role } from "@/api/session-types";

/** Header links; each feature's pages are reached from here. `roles` limits who sees a link. */
export interface NavItem {
  to: string;
  label: string;
  roles?: Role[];
  /** The link is shown as current on every page under this path, not only on `to`. */
  section?: string;
}

/** The expert's workspace: one header entry, and its pages in a second row while the expert is in it. */
export const WORKSPACE_SECTION = "/expert";

export const navItems: NavItem[] = [
  { to: "/experts", label: "Find an expert" },
  { to: "/bookings", label: "My bookings", roles: ["client", "expert", "admin"] },
  { to: "/become-expert", label: "Offer consultations", roles: ["client"] },
  { to: "/expert/requests", label: "Workspace", roles: ["expert"], section: WORKSPACE_SECTION },
];

export const workspaceItems: NavItem[] = [
  { to: "/expert/requests", label: "Requests" },
  { to: "/expert/calendar", label: "Calendar" },
  { to: "/expert/availability", label: "Availability" },
  { to: "/expert/areas", label: "Areas" },
  { to: "/expert/earnings", label: "Earnings" },
  { to: "/expert/setup", label: "Profile" },
];

/** Whether `pathname` is inside `section` (the section itself or any page below it). */
export function inSection(pathname: string, section: string): boolean {
  return pathname === section || pathname.startsWith(`${section}/`);
}

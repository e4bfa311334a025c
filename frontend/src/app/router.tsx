import type * as React from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { directoryQuery } from "@/features/directory/api/experts";
import { filtersFromParams } from "@/features/directory/api/filters";
import { expertProfileQuery } from "@/features/experts/api/experts";
import { LandingPage } from "@/features/directory/routes/landing";
import { directoryPage, expertProfilePage } from "./early-pages";
import { AppShell } from "./layouts/app-shell";
import { queryClient } from "./query-client";
import { GuestLayout } from "./layouts/guest-layout";
import { SignedInLayout } from "./layouts/signed-in-layout";
import { NotFoundPage } from "./routes/not-found";
import { RouteError } from "./routes/route-error";

/**
 * A page whose code loads only when it is visited (route-level code splitting): `load` imports the
 * module, `pick` chooses its page component. Keep heavy libraries (LiveKit) behind such imports.
 */
export function page<M>(load: () => Promise<M>, pick: (module: M) => React.ComponentType): Pick<RouteObject, "lazy"> {
  return { lazy: async () => ({ Component: pick(await load()) }) };
}

/** Pages anyone may see. */
const publicPages: RouteObject[] = [
  // The landing page is in the first bundle: it is where most visits start, and its heading is the LCP.
  { index: true, element: <LandingPage /> },
  {
    path: "experts",
    // Start the search while the page's code loads, not after.
    loader: ({ request }) => {
      void queryClient.prefetchInfiniteQuery(directoryQuery(filtersFromParams(new URL(request.url).searchParams)));
      return null;
    },
    ...page(directoryPage, (m) => m.DirectoryPage),
  },
  {
    path: "experts/:expertId",
    loader: ({ params }) => {
      if (params.expertId) void queryClient.prefetchQuery(expertProfileQuery(params.expertId));
      return null;
    },
    ...page(expertProfilePage, (m) => m.ExpertProfilePage),
  },
  { path: "verify-email", ...page(() => import("@/features/auth/routes/verify-email"), (m) => m.VerifyEmailPage) },
];

/** Pages for people who are not signed in (signed-in visitors go on to `?next=`). */
const guestPages: RouteObject[] = [
  { path: "sign-in", ...page(() => import("@/features/auth/routes/sign-in"), (m) => m.SignInPage) },
  { path: "sign-up", ...page(() => import("@/features/auth/routes/sign-up"), (m) => m.SignUpPage) },
  { path: "forgot-password", ...page(() => import("@/features/auth/routes/forgot-password"), (m) => m.ForgotPasswordPage) },
  { path: "reset-password", ...page(() => import("@/features/auth/routes/reset-password"), (m) => m.ResetPasswordPage) },
];

/** Pages that need a session (any role). */
const signedInPages: RouteObject[] = [
  { path: "become-expert", ...page(() => import("@/features/onboarding/routes/become-expert"), (m) => m.BecomeExpertPage) },
  { path: "bookings/:bookingId/call", ...page(() => import("./routes/call"), (m) => m.CallRoutePage) },
  { path: "bookings", ...page(() => import("@/features/bookings/routes/my-bookings"), (m) => m.MyBookingsPage) },
  { path: "bookings/:bookingId", ...page(() => import("@/features/bookings/routes/booking-detail"), (m) => m.BookingDetailPage) },
  { path: "payments/callback", ...page(() => import("@/features/booking/routes/payment-result"), (m) => m.PaymentResultPage) },
  { path: "account", ...page(() => import("@/features/account/routes/account"), (m) => m.AccountPage) },
];

/** Pages for experts only (the expert's workspace). */
const expertPages: RouteObject[] = [
  { path: "expert/setup", ...page(() => import("@/features/onboarding/routes/setup"), (m) => m.SetupPage) },
  { path: "expert/profile", ...page(() => import("@/features/onboarding/routes/profile"), (m) => m.ProfilePage) },
  { path: "expert/areas", ...page(() => import("@/features/areas/routes/areas"), (m) => m.AreasPage) },
  { path: "expert/availability", ...page(() => import("@/features/availability/routes/availability"), (m) => m.AvailabilityPage) },
  { path: "expert/requests", ...page(() => import("@/features/requests/routes/requests"), (m) => m.RequestsPage) },
  { path: "expert/calendar", ...page(() => import("@/features/expert-calendar/routes/calendar"), (m) => m.CalendarPage) },
  { path: "expert/calendar/:bookingId", ...page(() => import("@/features/expert-calendar/routes/booking"), (m) => m.ExpertBookingPage) },
  { path: "expert/earnings", ...page(() => import("@/features/earnings/routes/earnings"), (m) => m.EarningsPage) },
];

export const routes: RouteObject[] = [
  {
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      {
        errorElement: <RouteError />,
        children: [
          ...publicPages,
          { element: <GuestLayout />, children: guestPages },
          { element: <SignedInLayout />, children: signedInPages },
          { element: <SignedInLayout roles={["expert"]} />, children: expertPages },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(routes);

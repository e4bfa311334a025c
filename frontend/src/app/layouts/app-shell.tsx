import type * as React from "react";
import { lazy, Suspense, useLayoutEffect, useRef } from "react";
import { NavLink, Outlet, ScrollRestoration, useLocation } from "react-router";
import { useSession } from "@/api/session";
import { LoadingState } from "@/components/page-state";

// Only signed-in people see these; loading them on demand keeps them out of every first page load.
const NotificationBell = lazy(() => import("@/features/notifications/components/notification-bell").then((m) => ({ default: m.NotificationBell })));
const UserMenu = lazy(() => import("@/features/auth/components/user-menu").then((m) => ({ default: m.UserMenu })));
const VerifyBanner = lazy(() => import("@/features/auth/components/verify-banner").then((m) => ({ default: m.VerifyBanner })));
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { inSection, navItems, type NavItem, WORKSPACE_SECTION, workspaceItems } from "../nav";

const linkClass = (current: boolean): string =>
  cn(
    "whitespace-nowrap rounded-md px-1.5 py-1.5 text-sm font-medium text-muted-foreground hover:text-foreground sm:px-3",
    current && "bg-accent text-accent-foreground",
  );

function MainLink({ item }: { item: NavItem }) {
  const { pathname } = useLocation();
  const section = item.section;
  return (
    <NavLink
      to={item.to}
      className={({ isActive }) => linkClass(isActive || (!!section && inSection(pathname, section)))}
    >
      {item.label}
    </NavLink>
  );
}

/** The expert's workspace pages, a second row of the header while the expert is on one of them. */
function WorkspaceNav() {
  return (
    <div className="border-t">
      {/* A phone gets two even rows of three; wider screens one row. */}
      <nav aria-label="Workspace" className="mx-auto grid max-w-6xl grid-cols-3 gap-0.5 px-3 py-1 sm:flex sm:items-center sm:gap-1 sm:px-6 sm:py-1.5">
        {workspaceItems.map((item) => (
          <NavLink key={item.to} to={item.to} className={({ isActive }) => cn(linkClass(isActive), "py-1 text-center sm:py-1.5")}>
            {item.label}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

/**
 * Publishes the header's height as `--app-header-height`, so toasts appear just below the header
 * (never over its links, bell or menu) whether it is one row, two, or wrapped on a phone.
 */
function useHeaderHeight(header: React.RefObject<HTMLElement | null>): void {
  useLayoutEffect(() => {
    const element = header.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const publish = () => root.style.setProperty("--app-header-height", `${Math.ceil(element.getBoundingClientRect().height)}px`);
    publish();
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    return () => observer.disconnect();
  }, [header]);
}

function Header() {
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const { pathname } = useLocation();
  const header = useRef<HTMLElement>(null);
  useHeaderHeight(header);
  const links = navItems.filter((item) => !item.roles || (user && item.roles.includes(user.role)));
  const inWorkspace = user?.role === "expert" && inSection(pathname, WORKSPACE_SECTION);
  return (
    <header ref={header} className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-2 px-3 sm:h-14 sm:flex-nowrap sm:gap-x-4 sm:px-6">
        <NavLink to="/" className="flex h-14 items-center gap-2 text-base font-bold text-primary sm:text-lg">
          <img src="/favicon.svg" alt="" className="size-7" width={28} height={28} />
          <span>ProcusMeet</span>
        </NavLink>
        <nav aria-label="Main" className="order-last -mx-1 flex w-full min-w-0 flex-wrap items-center gap-x-0.5 gap-y-1 pb-2 sm:order-none sm:mx-0 sm:w-auto sm:flex-1 sm:flex-nowrap sm:gap-1 sm:overflow-x-auto sm:pb-0">
          {links.map((item) => (
            <MainLink key={item.to} item={item} />
          ))}
        </nav>
        {status === "signed-in" ? (
          <div className="ml-auto flex min-w-20 items-center justify-end gap-1">
            <Suspense fallback={null}>
              <NotificationBell />
              <UserMenu />
            </Suspense>
          </div>
        ) : status === "signed-out" ? (
          <div className="ml-auto flex items-center gap-1">
            <Button asChild variant="ghost" size="sm">
              <NavLink to="/sign-in">Sign in</NavLink>
            </Button>
            <Button asChild size="sm" className="hidden sm:inline-flex">
              <NavLink to="/sign-up">Sign up</NavLink>
            </Button>
          </div>
        ) : null}
      </div>
      {inWorkspace && <WorkspaceNav />}
    </header>
  );
}

/** Every page: the header, the page itself (loaded on demand), and a footer. */
export function AppShell() {
  const signedIn = useSession((s) => s.status === "signed-in");
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2">
        Skip to content
      </a>
      <Header />
      {signedIn && (
        <Suspense fallback={null}>
          <VerifyBanner />
        </Suspense>
      )}
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-3 py-6 sm:px-6 sm:py-8">
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="border-t py-6 text-center text-sm text-muted-foreground">ProcusMeet · paid 1:1 video consultations</footer>
      <ScrollRestoration />
    </div>
  );
}

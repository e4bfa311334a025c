import { Suspense } from "react";
import { NavLink, Outlet, ScrollRestoration } from "react-router";
import { useSession } from "@/api/session";
import { LoadingState } from "@/components/page-state";
import { NotificationBell } from "@/features/notifications/components/notification-bell";
import { UserMenu } from "@/features/auth/components/user-menu";
import { VerifyBanner } from "@/features/auth/components/verify-banner";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { navItems } from "../nav";

function Header() {
  const status = useSession((s) => s.status);
  const user = useSession((s) => s.user);
  const links = navItems.filter((item) => !item.roles || (user && item.roles.includes(user.role)));
  return (
    <header className="sticky top-0 z-40 border-b bg-background/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-2 px-3 sm:gap-4 sm:px-6">
        <NavLink to="/" className="flex items-center gap-2 text-base font-bold text-primary sm:text-lg">
          <img src="/favicon.svg" alt="" className="size-7" width={28} height={28} />
          <span>ProcusMeet</span>
        </NavLink>
        <nav aria-label="Main" className="flex min-w-0 flex-1 items-center gap-1 overflow-x-auto">
          {links.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              className={({ isActive }) =>
                cn(
                  "whitespace-nowrap rounded-md px-2 py-1.5 text-sm font-medium text-muted-foreground hover:text-foreground sm:px-3",
                  isActive && "bg-accent text-accent-foreground",
                )
              }
            >
              {item.label}
            </NavLink>
          ))}
        </nav>
        {status === "signed-in" ? (
          <div className="flex items-center gap-1">
            <NotificationBell />
            <UserMenu />
          </div>
        ) : status === "signed-out" ? (
          <div className="flex items-center gap-1">
            <Button asChild variant="ghost" size="sm">
              <NavLink to="/sign-in">Sign in</NavLink>
            </Button>
            <Button asChild size="sm" className="hidden sm:inline-flex">
              <NavLink to="/sign-up">Sign up</NavLink>
            </Button>
          </div>
        ) : null}
      </div>
    </header>
  );
}

/** Every page: the header, the page itself (loaded on demand), and a footer. */
export function AppShell() {
  return (
    <div className="flex min-h-dvh flex-col">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-background focus:p-2">
        Skip to content
      </a>
      <Header />
      <VerifyBanner />
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

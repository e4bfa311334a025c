import { LogOut, User as UserIcon } from "lucide-react";
import { useNavigate } from "react-router";
import { useSession } from "@/api/session";
import { initials } from "@/components/avatar";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { useSignOut } from "../api/auth";

export function UserMenu() {
  const user = useSession((s) => s.user);
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!user) return null;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full">
          <span aria-hidden className="flex size-8 items-center justify-center rounded-full bg-primary text-xs font-semibold text-primary-foreground">
            {initials(user.full_name)}
          </span>
          <span className="sr-only">Account menu for {user.full_name}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuLabel className="font-normal">
          <div className="font-medium">{user.full_name}</div>
          <div className="truncate text-xs text-muted-foreground">{user.email}</div>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => navigate("/account")}>
          <UserIcon aria-hidden className="size-4" /> Account
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => signOut.mutate(false, { onSettled: () => navigate("/") })}>
          <LogOut aria-hidden className="size-4" /> Sign out
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => signOut.mutate(true, { onSettled: () => navigate("/") })}>
          <LogOut aria-hidden className="size-4" /> Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

import { LogOut, User as UserIcon } from "lucide-react";
import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { meQuery } from "@/lib/shared-queries";
import { useSession } from "@/api/session";
import { Avatar } from "@/components/avatar";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { useSignOut } from "../api/auth";

export function UserMenu() {
  const user = useSession((s) => s.user);
  const me = useQuery({ ...meQuery(), enabled: user !== null });
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (!user) return null;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full">
          <Avatar name={user.full_name} url={me.data?.avatar_url} className="size-8 text-xs" />
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

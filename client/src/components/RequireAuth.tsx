import type { ReactNode } from "react";
import { useAuth } from "../auth";
import SignIn from "../pages/SignIn";

/** The page for a signed-in user; the sign-in form in its place otherwise. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  if (!auth.ready) return <p role="status">Checking who you are…</p>;
  if (!auth.user) return <SignIn />;
  return <>{children}</>;
}

import { useEffect, useRef, type ReactNode } from "react";
import { Link, NavLink, useLocation } from "react-router";
import { useAuth } from "../auth";

function UserState() {
  const auth = useAuth();
  if (auth.mode === "local") return <p className="user-state">Local mode: you are the only user</p>;
  if (!auth.ready) return <p className="user-state">…</p>;
  if (!auth.user) return <Link className="user-state button" to="/signin">Sign in</Link>;
  return (
    <div className="user-state">
      <span className="user-name">{auth.user.email ?? auth.user.name ?? "Signed in"}</span>{" "}
      <button type="button" onClick={() => { void auth.signOut(); }}>Sign out</button>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);

  // After moving to another page, put focus at the top of the new content (as a page load would).
  useEffect(() => {
    if (first.current) { first.current = false; return; }
    main.current?.focus();
  }, [pathname]);

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="site-header">
        <Link to="/" className="brand">DreamReel</Link>
        <nav aria-label="Main">
          <ul>
            <li><NavLink to="/" end>New film</NavLink></li>
            <li><NavLink to="/films" end>My films</NavLink></li>
            <li><NavLink to="/gallery">Gallery</NavLink></li>
          </ul>
        </nav>
        <UserState />
      </header>
      <main id="main" ref={main} tabIndex={-1}>{children}</main>
    </>
  );
}

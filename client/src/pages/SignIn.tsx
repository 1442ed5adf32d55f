import { useState, type FormEvent } from "react";
import { Navigate, useLocation } from "react-router";
import { authMessage, useAuth } from "../auth";
import { usePageTitle } from "../hooks/usePageTitle";

/** Email + password, or Google. Shown at /signin and in place of any page that needs a user. */
export default function SignIn() {
  usePageTitle("Sign in");
  const auth = useAuth();
  const location = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (auth.user && location.pathname === "/signin") return <Navigate to="/" replace />;
  if (auth.mode === "local") return <p>Local mode: you are the only user; no sign-in is needed.</p>;

  const attempt = async (how: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await how();
    } catch (e) {
      setError(authMessage(e));
    }
    setBusy(false);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    attempt(() => auth.signInWithEmail(email.trim(), password));
  };

  return (
    <section className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in</h1>
      {auth.error && <p role="alert" className="alert">{auth.error}</p>}
      {error && <p role="alert" className="alert">{error}</p>}
      <form onSubmit={submit} aria-labelledby="signin-title">
        <div className="field">
          <label htmlFor="signin-email" className="field-label">Email</label>
          <input id="signin-email" type="email" autoComplete="email" required value={email}
            onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="signin-password" className="field-label">Password</label>
          <input id="signin-password" type="password" autoComplete="current-password" required value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={busy || !email || !password}>Sign in</button>
      </form>
      <p className="or">or</p>
      <button type="button" onClick={() => attempt(auth.signInWithGoogle)} disabled={busy}>
        Sign in with Google
      </button>
    </section>
  );
}

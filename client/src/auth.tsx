/**
 * Who is signed in. `local` mode has one user and no sign-in; `firebase` mode signs in with the
 * Firebase JS SDK (email + password, or Google) and gives the API client the ID token to send.
 * This is the only module that touches Firebase, and it imports the SDK lazily: local mode never
 * downloads it.
 */
import {
  createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode,
} from "react";
import type { Auth } from "firebase/auth";
import { setTokenProvider } from "./api/client";
import type { Config } from "./api/types";

export interface AuthUser {
  uid: string;
  email: string | null;
  name: string | null;
}

export interface AuthState {
  mode: "local" | "firebase";
  /** False until the sign-in state is known (Firebase answers asynchronously). */
  ready: boolean;
  user: AuthUser | null;
  /** Why the SDK could not load, if it could not. */
  error: string | null;
  signInWithEmail(email: string, password: string): Promise<void>;
  signInWithGoogle(): Promise<void>;
  signOut(): Promise<void>;
}

export const LOCAL_USER: AuthUser = { uid: "local", email: null, name: "Local user" };

const noop = async () => {};

const AuthContext = createContext<AuthState>({
  mode: "local", ready: true, user: LOCAL_USER, error: null,
  signInWithEmail: noop, signInWithGoogle: noop, signOut: noop,
});

export function useAuth(): AuthState {
  return useContext(AuthContext);
}

type FirebaseAuthModule = typeof import("firebase/auth");

interface Loaded {
  auth: Auth;
  sdk: FirebaseAuthModule;
}

async function loadFirebase(options: NonNullable<Config["firebase"]>): Promise<Loaded> {
  const [app, sdk] = await Promise.all([import("firebase/app"), import("firebase/auth")]);
  const existing = app.getApps().find((a) => a.name === "[DEFAULT]");
  const firebaseApp = existing ?? app.initializeApp(options);
  return { auth: sdk.getAuth(firebaseApp), sdk };
}

const MESSAGES: Record<string, string> = {
  "auth/invalid-credential": "The email or password is wrong.",
  "auth/invalid-email": "That email address is not valid.",
  "auth/user-not-found": "The email or password is wrong.",
  "auth/wrong-password": "The email or password is wrong.",
  "auth/user-disabled": "This account is disabled.",
  "auth/too-many-requests": "Too many tries; wait a minute and try again.",
  "auth/popup-closed-by-user": "The Google sign-in window was closed before signing in.",
  "auth/popup-blocked": "The browser blocked the Google sign-in window; allow pop-ups and try again.",
  "auth/network-request-failed": "Cannot reach the sign-in service. Check your connection.",
};

/** A Firebase error in words. */
export function authMessage(error: unknown): string {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === "string" && MESSAGES[code]) return MESSAGES[code];
  return error instanceof Error && error.message ? error.message : "Sign-in failed; please try again.";
}

function FirebaseAuthProvider({ options, children }: {
  options: NonNullable<Config["firebase"]>;
  children: ReactNode;
}) {
  const loaded = useRef<Promise<Loaded> | null>(null);
  const [user, setUser] = useState<AuthUser | null>(null);
  const [ready, setReady] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let unsubscribe = () => {};
    let stopped = false;
    const promise = loadFirebase(options);
    loaded.current = promise;
    setTokenProvider(async () => {
      const { auth } = await promise;
      await auth.authStateReady();
      return auth.currentUser ? auth.currentUser.getIdToken() : null;
    });
    promise.then(({ auth, sdk }) => {
      if (stopped) return;
      unsubscribe = sdk.onAuthStateChanged(auth, (u) => {
        setUser(u ? { uid: u.uid, email: u.email, name: u.displayName } : null);
        setReady(true);
      });
    }, (e: unknown) => {
      setError(`Sign-in is unavailable: ${authMessage(e)}`);
      setReady(true);
    });
    return () => {
      stopped = true;
      unsubscribe();
      setTokenProvider(null);
    };
  }, [options]);

  const signInWithEmail = useCallback(async (email: string, password: string) => {
    const { auth, sdk } = await loaded.current!;
    await sdk.signInWithEmailAndPassword(auth, email, password);
  }, []);

  const signInWithGoogle = useCallback(async () => {
    const { auth, sdk } = await loaded.current!;
    await sdk.signInWithPopup(auth, new sdk.GoogleAuthProvider());
  }, []);

  const signOut = useCallback(async () => {
    const { auth, sdk } = await loaded.current!;
    await sdk.signOut(auth);
  }, []);

  const value = useMemo<AuthState>(() => ({
    mode: "firebase", ready, user, error, signInWithEmail, signInWithGoogle, signOut,
  }), [ready, user, error, signInWithEmail, signInWithGoogle, signOut]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function AuthProvider({ config, children }: { config: Config; children: ReactNode }) {
  if (config.auth === "firebase") {
    if (config.firebase) {
      return <FirebaseAuthProvider options={config.firebase}>{children}</FirebaseAuthProvider>;
    }
    return <AuthContext.Provider value={UNCONFIGURED}>{children}</AuthContext.Provider>;
  }
  return <>{children}</>;  // the default context: local mode, the one user
}

const UNCONFIGURED: AuthState = {
  mode: "firebase", ready: true, user: null,
  error: "Sign-in is not configured on this server (no Firebase settings).",
  signInWithEmail: noop, signInWithGoogle: noop, signOut: noop,
};

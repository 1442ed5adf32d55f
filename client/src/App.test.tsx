import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "./App";
import { fakeApi } from "./test/api";
import { OPTIONS } from "./test/fixtures";

// A stand-in Firebase SDK: the tests decide who is signed in.
const firebase = vi.hoisted(() => {
  type Listener = (user: unknown) => void;
  const state = {
    listeners: [] as Listener[],
    currentUser: null as null | { uid: string; email: string; displayName: null; getIdToken(): Promise<string> },
  };
  const signIn = (email: string) => {
    state.currentUser = { uid: "u1", email, displayName: null, getIdToken: async () => "id-token-123" };
    state.listeners.forEach((l) => l(state.currentUser));
  };
  return { state, signIn };
});

vi.mock("firebase/app", () => ({
  getApps: () => [],
  initializeApp: vi.fn((options: unknown) => ({ name: "[DEFAULT]", options })),
}));

vi.mock("firebase/auth", () => ({
  getAuth: () => ({
    get currentUser() { return firebase.state.currentUser; },
    authStateReady: async () => {},
  }),
  onAuthStateChanged: (_auth: unknown, listener: (u: unknown) => void) => {
    firebase.state.listeners.push(listener);
    listener(firebase.state.currentUser);
    return () => { firebase.state.listeners = firebase.state.listeners.filter((l) => l !== listener); };
  },
  signInWithEmailAndPassword: vi.fn(async (_auth: unknown, email: string, password: string) => {
    if (password !== "right") throw Object.assign(new Error("bad"), { code: "auth/invalid-credential" });
    firebase.signIn(email);
  }),
  signInWithPopup: vi.fn(async () => firebase.signIn("google@example.com")),
  GoogleAuthProvider: class {},
  signOut: vi.fn(async () => {
    firebase.state.currentUser = null;
    firebase.state.listeners.forEach((l) => l(null));
  }),
}));

function renderApp(url = "/") {
  return render(<MemoryRouter initialEntries={[url]}><App /></MemoryRouter>);
}

beforeEach(() => {
  firebase.state.currentUser = null;
  firebase.state.listeners = [];
});

afterEach(() => vi.clearAllMocks());

describe("App in local mode", () => {
  it("needs no sign-in, says so, and shows the form with a skip link and navigation", async () => {
    const api = fakeApi({
      "GET /api/config": { body: { auth: "local", firebase: null } },
      "GET /api/options": { body: OPTIONS },
    });
    renderApp();
    expect(await screen.findByText("Local mode: you are the only user")).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Make a short film" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(nav).toHaveTextContent("New film");
    expect(screen.getByRole("link", { name: "New film" })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: "My films" })).toHaveAttribute("href", "/films");
    expect(screen.getByRole("link", { name: "Gallery" })).toHaveAttribute("href", "/gallery");
    expect(api.sent.every((s) => !s.headers.has("Authorization"))).toBe(true);
    const { initializeApp } = await import("firebase/app");
    expect(initializeApp).not.toHaveBeenCalled();
  });

  it("treats an API without /api/config as local mode", async () => {
    fakeApi({ "GET /api/gallery": { body: { films: [] } } });
    renderApp("/gallery");
    expect(await screen.findByRole("heading", { name: "Gallery" })).toBeInTheDocument();
    expect(screen.getByText("Local mode: you are the only user")).toBeInTheDocument();
  });
});

describe("App in firebase mode", () => {
  const CONFIG = { auth: "firebase", firebase: { apiKey: "k", authDomain: "demo.firebaseapp.com", projectId: "demo" } };

  it("asks to sign in, then sends the ID token on every API call", async () => {
    const api = fakeApi({ "GET /api/config": { body: CONFIG }, "GET /api/options": { body: OPTIONS } });
    renderApp();
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    const { initializeApp } = await import("firebase/app");
    expect(initializeApp).toHaveBeenCalledWith(CONFIG.firebase);
    expect(api.calls("GET /api/options")).toHaveLength(0);

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is wrong.");

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "right");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Make a short film" })).toBeInTheDocument();
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    const options = api.calls("GET /api/options");
    expect(options).toHaveLength(1);
    expect(options[0].headers.get("Authorization")).toBe("Bearer id-token-123");

    await user.click(screen.getByRole("button", { name: "Sign out" }));
    await waitFor(() => expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument());
  });

  it("signs in with Google", async () => {
    fakeApi({ "GET /api/config": { body: CONFIG }, "GET /api/films": { body: { films: [] } } });
    renderApp("/films");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Sign in with Google" }));
    expect(await screen.findByRole("heading", { name: "My films" })).toBeInTheDocument();
    const { signInWithPopup } = await import("firebase/auth");
    expect(signInWithPopup).toHaveBeenCalledTimes(1);
  });

  it("shows the gallery without signing in", async () => {
    const api = fakeApi({ "GET /api/config": { body: CONFIG }, "GET /api/gallery": { body: { films: [] } } });
    renderApp("/gallery");
    expect(await screen.findByText(/no film has been shared yet/i)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute("href", "/signin");
    expect(api.calls("GET /api/gallery")[0].headers.has("Authorization")).toBe(false);
  });
});

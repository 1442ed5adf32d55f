/** GET /api/config, loaded once before anything else: which sign-in the API expects. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { discoverApiOrigin } from "./api/base";
import { api, call, setApiOrigin } from "./api/client";
import { ApiError } from "./api/errors";
import type { Config } from "./api/types";

const LOCAL: Config = { auth: "local", firebase: null };

const ConfigContext = createContext<Config>(LOCAL);

export function useConfig(): Config {
  return useContext(ConfigContext);
}

export async function loadConfig(): Promise<Config> {
  if (typeof location !== "undefined" && location.origin !== "null") {
    setApiOrigin(await discoverApiOrigin(location.origin));
  }
  try {
    return await call(api.GET("/api/config"));
  } catch (error) {
    // An API without the route (older servers) has only the one local user.
    if (error instanceof ApiError && error.status === 404) return LOCAL;
    throw error;
  }
}

export function ConfigProvider({ children }: { children: ReactNode }) {
  const [config, setConfig] = useState<Config | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(null);
    loadConfig().then(setConfig, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  useEffect(load, [load]);

  if (error) {
    return (
      <div className="boot" role="alert">
        <p>DreamReel could not start: {error}</p>
        <button type="button" onClick={load}>Try again</button>
      </div>
    );
  }
  if (!config) return <p className="boot" role="status">Loading DreamReel…</p>;
  return <ConfigContext.Provider value={config}>{children}</ConfigContext.Provider>;
}

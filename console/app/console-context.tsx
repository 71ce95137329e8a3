/**
 * What every page shares: the API, the signed-in operator, the merchant's apps and the one being worked on
 * (remembered in the browser), and a way to reload the apps after a change.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { ConsoleApi } from '../api/console-api.ts';
import type { ConsoleApp, Session } from '../api/types.ts';

export interface ConsoleState {
  api: ConsoleApi;
  session: Session;
  apps: ConsoleApp[];
  app: ConsoleApp | undefined;
  selectApp(appId: string): void;
  reloadApps(): Promise<void>;
  signOut(): Promise<void>;
}

const ConsoleContext = createContext<ConsoleState | undefined>(undefined);
const currentAppKey = 'spay-console-app';

function rememberedAppId(): string | null {
  try {
    return localStorage.getItem(currentAppKey);
  } catch {
    return null;
  }
}

export function ConsoleProvider(props: {
  api: ConsoleApi;
  session: Session;
  onSignedOut(): void;
  children: ComponentChildren;
}) {
  const { api } = props;
  const [apps, setApps] = useState<ConsoleApp[]>([]);
  const [appId, setAppId] = useState<string | null>(rememberedAppId);
  const reloadApps = useCallback(async () => {
    const answer = await api.apps();
    setApps(answer.apps);
  }, [api]);
  useEffect(() => {
    void reloadApps();
  }, [reloadApps]);
  const value = useMemo<ConsoleState>(
    () => ({
      api,
      session: props.session,
      apps,
      app: apps.find((candidate) => candidate.appId === appId) ?? apps[0],
      selectApp(next) {
        try {
          localStorage.setItem(currentAppKey, next);
        } catch {
          // The choice lasts for this page only.
        }
        setAppId(next);
      },
      reloadApps,
      async signOut() {
        await api.signOut().catch(() => undefined);
        api.client.setCsrfToken(undefined);
        props.onSignedOut();
      },
    }),
    [api, apps, appId, props.session, reloadApps],
  );
  return <ConsoleContext.Provider value={value}>{props.children}</ConsoleContext.Provider>;
}

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (!state) throw new Error('useConsole outside ConsoleProvider');
  return state;
}

/** The console's pages and their paths under /console/. */
export type Route =
  | { page: 'dashboard' | 'apps' | 'button' | 'credentials' | 'bills' | 'refunds' | 'webhooks' | 'audit' }
  | { page: 'bill'; billId: string }
  | { page: 'not-found' };

export const consoleBase = '/console/';

const simplePages = ['apps', 'button', 'credentials', 'bills', 'refunds', 'webhooks', 'audit'] as const;

export function parseRoute(pathname: string): Route {
  if (!pathname.startsWith(consoleBase)) return { page: 'not-found' };
  const parts = pathname
    .slice(consoleBase.length)
    .split('/')
    .filter((part) => part !== '');
  if (parts.length === 0) return { page: 'dashboard' };
  const [first, second] = parts;
  if (parts.length === 2 && first === 'bills') return { page: 'bill', billId: decodeURIComponent(second) };
  if (parts.length === 1 && (simplePages as readonly string[]).includes(first)) {
    return { page: first as (typeof simplePages)[number] };
  }
  return { page: 'not-found' };
}

export function routePath(route: Route): string {
  if (route.page === 'dashboard' || route.page === 'not-found') return consoleBase;
  if (route.page === 'bill') return `${consoleBase}bills/${encodeURIComponent(route.billId)}`;
  return `${consoleBase}${route.page}`;
}

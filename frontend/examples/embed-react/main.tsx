/**
 * A React app embedding Tenantry's widgets: React 19 passes `token` to the custom element as a
 * property and listens to its `tenantry-token-expired` event like any other.
 */
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';

interface WidgetToken {
  token: string;
  tenantryUrl: string;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'tenantry-members': { token?: string; 'data-testid'?: string; ref?: React.Ref<HTMLElement> };
      'tenantry-organization-settings': { token?: string; 'data-testid'?: string };
    }
  }
}

async function fetchToken(): Promise<WidgetToken> {
  const answer = await fetch('/widget-token?widgets=MEMBERS&widgets=ORGANIZATION_SETTINGS');
  if (!answer.ok) throw new Error(`widget token: ${answer.status}`);
  return (await answer.json()) as WidgetToken;
}

function App() {
  const [token, setToken] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const renew = useCallback(() => {
    fetchToken().then(
      (fresh) => setToken(fresh.token),
      (failure: Error) => setError(failure.message),
    );
  }, []);

  useEffect(() => {
    fetchToken()
      .then(async (first) => {
        await import(/* @vite-ignore */ `${first.tenantryUrl}/static/embed/embed.js`);
        setToken(first.token);
      })
      .catch((failure: Error) => setError(failure.message));
  }, []);

  const members = useCallback(
    (element: HTMLElement | null) => element?.addEventListener('tenantry-token-expired', renew),
    [renew],
  );

  if (error) return <p role="alert">{error}</p>;
  if (!token) return <p>Loading…</p>;
  return (
    <main style={{ maxWidth: '60rem', margin: '0 auto', padding: '1.5rem', fontFamily: 'system-ui' }}>
      <h1>Organization</h1>
      <tenantry-organization-settings token={token} data-testid="react-settings" />
      <h2>People</h2>
      <tenantry-members token={token} data-testid="react-members" ref={members} />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
// The base stylesheet first: screen stylesheets imported by components must come after it.
import './styles/app.css';
import { AppRoutes } from './App';
import { AuthProvider } from './auth/AuthContext';
import { ToastProvider } from './components/Toast';
import './i18n';
import { registerServiceWorker } from './pwa/register';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // 4xx answers are final (forbidden, not found…); only network / 5xx errors are retried once.
      retry: (count, err) => {
        const status = (err as { status?: number }).status ?? 0;
        return count < 1 && (status === 0 || status >= 500);
      },
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <ToastProvider>
          <AuthProvider>
            <AppRoutes />
          </AuthProvider>
        </ToastProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

// PWA: the service worker caches the app shell of this build (src/pwa/register.ts, public/sw.js).
// Production builds only, so the dev server's hot reload is never served from a cache.
if (import.meta.env.PROD) registerServiceWorker();

import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The Rust binary serves web/dist from "/" with an SPA fallback and the API under /api/v1 on the
// same origin, so the dev server proxies those paths to a locally running backend.
const backend = process.env.USINAGE_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': backend,
      '/readyz': backend,
    },
  },
  build: {
    outDir: 'dist',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
  },
});

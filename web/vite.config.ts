import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { securityHeaders } from './security-headers';

const apiUrl = process.env.API_URL ?? 'http://127.0.0.1:4000';
const port = Number(process.env.WEB_PORT ?? 5173);
const host = process.env.WEB_HOST ?? '127.0.0.1';

/** The app talks to the API by relative URLs; dev and preview servers forward them. */
const proxy = {
  '/graphql': { target: apiUrl, changeOrigin: true },
  '/v1': { target: apiUrl, changeOrigin: true },
  '/healthz': { target: apiUrl, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { host, port, strictPort: true, proxy },
  // The dev server runs inline scripts (React refresh), so the policy applies to the built app only.
  preview: { host, port, strictPort: true, proxy, headers: securityHeaders },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 2000 },
});

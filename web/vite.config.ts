import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * One build for both single-page apps: the H5 store (served at /) and the admin console (served at
 * /admin). They share hashed chunks under /assets/; each page loads only what its routes import.
 */
export default defineConfig({
  root: here("."),
  base: "/",
  plugins: [react()],
  build: {
    outDir: here("../dist/web"),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { store: here("store/index.html"), admin: here("admin/index.html") } },
  },
  server: { proxy: { "^/(?!@|src|admin/index|store/|shared/|node_modules).*": "http://localhost:3000" } },
});

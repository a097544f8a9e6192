/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_UPGRADE_URL?: string;
  readonly VITE_PERMISSIONS_URL?: string;
  readonly VITE_MEMBERS_URL?: string;
  readonly VITE_API_REFERENCE_URL?: string;
  readonly VITE_API_BASE_URL?: string;
  readonly VITE_HIDE_DEMO_ACCOUNTS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { HashRouter, Route, Routes } from "react-router";
import { DotLoading } from "antd-mobile";
import { I18nProvider } from "../shared/i18n";
import { dictionaries } from "./messages";
import { ROUTES } from "./routes";
import { SessionProvider } from "./session";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider app="liebian.store" dictionaries={dictionaries}>
      <SessionProvider>
      <HashRouter>
        <Suspense fallback={<DotLoading />}>
          <Routes>
            {ROUTES.map((r) => (
              <Route key={r.path} path={r.path} element={<r.component />} />
            ))}
          </Routes>
        </Suspense>
      </HashRouter>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);

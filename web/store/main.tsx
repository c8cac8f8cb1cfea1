import "antd-mobile/es/global";
import "./components/theme.css";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { HashRouter, Navigate, Route, Routes } from "react-router";
import { I18nProvider } from "../shared/i18n";
import { Shell } from "./components/Shell";
import { dictionaries } from "./messages";
import { ROUTES } from "./routes";
import { SessionProvider } from "./session";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider app="liebian.store" dictionaries={dictionaries}>
      <SessionProvider>
        <HashRouter>
          <Routes>
            <Route element={<Shell />}>
              {ROUTES.map((r) => (
                <Route key={r.path} path={r.path} element={<r.component />} />
              ))}
              <Route path="*" element={<Navigate to="/" replace />} />
            </Route>
          </Routes>
        </HashRouter>
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);

import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { HashRouter } from "react-router";
import { I18nProvider, useI18n } from "../shared/i18n";
import App from "./App";
import { dictionaries } from "./messages";
import { SessionProvider } from "./session";

function Themed() {
  const { locale } = useI18n();
  // Date pickers name months and weekdays through dayjs's own locale.
  dayjs.locale(locale === "en" ? "en" : "zh-cn");
  return (
    <ConfigProvider locale={locale === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#e02e24" } }}>
      <AntApp>
        <SessionProvider>
          <HashRouter>
            <App />
          </HashRouter>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider app="liebian.admin" dictionaries={dictionaries}>
      <Themed />
    </I18nProvider>
  </StrictMode>,
);

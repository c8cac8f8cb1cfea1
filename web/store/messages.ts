import type { Dictionary, Locale } from "../shared/i18n";
import * as fission from "./fission/messages";
import * as pages from "./pages/messages";

export const dictionaries: Record<Locale, Dictionary> = {
  "zh-CN": { ...pages.zh, ...fission.zh },
  en: { ...pages.en, ...fission.en },
};

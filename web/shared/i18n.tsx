import { createContext, type ReactNode, useContext, useMemo, useState } from "react";

export type Locale = "zh-CN" | "en";
export type Dictionary = Record<string, string>;

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  /** The phrase for `key` in the current locale; `{name}` placeholders are filled from `vars`. */
  t(key: string, vars?: Record<string, string | number>): string;
}

const Ctx = createContext<I18n | null>(null);

/**
 * Chinese first, English on request; the choice is remembered per app. A key missing from the English
 * dictionary falls back to Chinese, and one missing from both shows the key itself, so a gap is visible.
 */
export function I18nProvider({ app, dictionaries, children }: { app: string; dictionaries: Record<Locale, Dictionary>; children: ReactNode }) {
  const storageKey = `${app}.locale`;
  const [locale, setLocaleState] = useState<Locale>(() => (localStorage.getItem(storageKey) === "en" ? "en" : "zh-CN"));
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale: (l) => {
        localStorage.setItem(storageKey, l);
        document.documentElement.lang = l;
        setLocaleState(l);
      },
      t: (key, vars) => {
        let s = dictionaries[locale][key] ?? dictionaries["zh-CN"][key] ?? key;
        for (const [k, v] of Object.entries(vars ?? {})) s = s.replaceAll(`{${k}}`, String(v));
        return s;
      },
    }),
    [locale, dictionaries, storageKey],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error("useI18n outside I18nProvider");
  return v;
}

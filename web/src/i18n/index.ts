import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../api/types';
import en from './en';
import fr from './fr';
import { shopfloorEn, shopfloorFr } from './shopfloor';

export const LANG_KEY = 'usinage.lang';
export const LANGS: Lang[] = ['fr', 'en'];

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

void i18n.use(initReactI18next).init({
  // The shop-floor labels are registered here (not spread in fr.ts / en.ts); the time_tracking
  // module is the "Atelier" menu entry (operations and time clock).
  resources: {
    fr: { translation: { ...fr, ...shopfloorFr, modules: { ...fr.modules, time_tracking: shopfloorFr.nav_sf.module } } },
    en: { translation: { ...en, ...shopfloorEn, modules: { ...en.modules, time_tracking: shopfloorEn.nav_sf.module } } },
  },
  lng: storedLang(),
  fallbackLng: 'fr',
  supportedLngs: LANGS,
  interpolation: { escapeValue: false },
  returnNull: false,
});

if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'fr';
}

export async function setLang(lang: Lang): Promise<void> {
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  await i18n.changeLanguage(lang);
}

export default i18n;

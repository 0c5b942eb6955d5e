import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../api/types';
import en from './en';
import fr from './fr';

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
  resources: { fr: { translation: fr }, en: { translation: en } },
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

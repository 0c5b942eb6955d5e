import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../api/types';
import { formatDate, formatDateTime, formatMoney, formatNumber } from './format';

/** The format helpers bound to the current UI language. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'fr';
  return useMemo(
    () => ({
      lang,
      date: (v: string | Date | null | undefined) => formatDate(v, lang),
      dateTime: (v: string | Date | null | undefined, seconds = false) => formatDateTime(v, lang, { seconds }),
      money: (v: string | number | null | undefined, currency = 'EUR') => formatMoney(v, lang, currency),
      number: (v: string | number | null | undefined, decimals?: number) => formatNumber(v, lang, decimals),
    }),
    [lang],
  );
}

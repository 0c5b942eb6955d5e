import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../api/types';
import { LANGS, setLang } from '../i18n';

/** FR | EN toggle. Server texts (labels, messages) are localised too, so cached answers are refetched. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const change = async (lang: Lang) => {
    if (lang === i18n.language) return;
    await setLang(lang);
    await qc.invalidateQueries();
  };
  return (
    <div className={`lang-switch ${className ?? ''}`} role="group" aria-label={t('topbar.language')}>
      {LANGS.map((l) => (
        <button
          key={l}
          type="button"
          className={i18n.language === l ? 'active' : ''}
          aria-pressed={i18n.language === l}
          onClick={() => void change(l)}
          data-testid={`lang-${l}`}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

// A searchable choice among the rows of a list endpoint (`/tools?q=…`): type to search, pick one.
// The chosen row is handed back whole so the caller can show its stock figures.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Query } from '../api/client';
import type { ListResponse } from '../api/types';
import { Icon } from './Icon';
import '../styles/masterData.css';

export function SearchSelect<T extends { id: number }>({
  endpoint,
  query,
  label,
  placeholder,
  value,
  onChange,
  optionLabel,
  optionDetail,
  testId,
  inputId,
  invalid,
}: {
  endpoint: string;
  query?: Query;
  label: string;
  placeholder: string;
  value: T | null;
  onChange: (row: T | null) => void;
  optionLabel: (row: T) => string;
  optionDetail?: (row: T) => string;
  testId: string;
  inputId?: string;
  invalid?: boolean;
}) {
  const { t } = useTranslation();
  const listId = useId();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const h = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(h);
  }, [text]);
  const res = useQuery({
    queryKey: [endpoint, 'search', q, query],
    queryFn: () => api<ListResponse<T>>(endpoint, { query: { ...query, q, per_page: 20 } }),
    enabled: open && !value,
    placeholderData: keepPreviousData,
  });
  if (value) {
    return (
      <div className="search-select-chosen" data-testid={`${testId}-chosen`}>
        <span>
          <strong>{optionLabel(value)}</strong>
          {optionDetail && <span className="muted small"> · {optionDetail(value)}</span>}
        </span>
        <button type="button" className="icon-btn" aria-label={`${label} : ${t('common.clear_filters')}`} onClick={() => onChange(null)} data-testid={`${testId}-clear`}>
          <Icon name="x" size={16} />
        </button>
      </div>
    );
  }
  // While the debounce catches up, older results are not offered (a click would pick a stale row).
  const settled = q === text.trim() && !res.isPlaceholderData;
  const items = settled ? (res.data?.items ?? []) : [];
  return (
    <div className="search-select">
      <input
        id={inputId}
        type="search"
        className="input"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-invalid={invalid || undefined}
        aria-label={label}
        placeholder={placeholder}
        value={text}
        data-testid={testId}
        onFocus={() => setOpen(true)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
      />
      {open && (
        <ul className="search-select-list" id={listId} role="listbox" aria-label={label}>
          {(res.isPending || !settled) && <li className="muted small">{t('common.loading')}</li>}
          {res.isSuccess && settled && items.length === 0 && <li className="muted small">{t('reservations.no_match')}</li>}
          {items.map((row) => (
            <li key={row.id} role="option" aria-selected={false}>
              <button
                type="button"
                className="search-select-option"
                data-testid={`${testId}-option`}
                onClick={() => {
                  onChange(row);
                  setOpen(false);
                  setText('');
                }}
              >
                <span>{optionLabel(row)}</span>
                {optionDetail && <span className="muted small">{optionDetail(row)}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

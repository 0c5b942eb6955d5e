// A unit price agreed with the customer for the selected quantity, typed over the selected
// offer's price. The server refuses it below the minimum margin (with the lowest acceptable
// price in its message); an empty value goes back to the offer's price.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../lib/useFormat';
import type { QuoteLine } from './types';

export function NegotiatedPrice({ line, editable, pending, onSubmit }: {
  line: QuoteLine;
  editable: boolean;
  pending: boolean;
  onSubmit: (unitPrice: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [value, setValue] = useState('');
  if (!line.estimate || line.selected_quantity == null) return null;
  const typed = line.unit_price_override ?? null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim() !== '') onSubmit(value.trim());
  };
  return (
    <form className="panel q-negotiated" onSubmit={submit} data-testid="negotiated-price">
      <h3>{t('quotes.negotiated.title')}</h3>
      <p className="muted small">
        {typed
          ? t('quotes.negotiated.current_typed', { price: f.money(typed), qty: f.number(line.selected_quantity) })
          : t('quotes.negotiated.current_offer', { price: f.money(line.unit_price ?? null), qty: f.number(line.selected_quantity) })}
      </p>
      {editable && (
        <div className="q-negotiated-row">
          <label htmlFor="q-negotiated-input">{t('quotes.negotiated.label')}</label>
          <input
            id="q-negotiated-input"
            inputMode="decimal"
            value={value}
            placeholder="18,50"
            onChange={(e) => setValue(e.target.value)}
            disabled={pending}
          />
          <button type="submit" className="btn btn-primary" disabled={pending || value.trim() === ''}>
            {t('quotes.negotiated.apply')}
          </button>
          {typed && (
            <button type="button" className="btn btn-secondary" disabled={pending} onClick={() => onSubmit('')}>
              {t('quotes.negotiated.reset')}
            </button>
          )}
        </div>
      )}
      <p className="muted small">{t('quotes.negotiated.hint')}</p>
    </form>
  );
}

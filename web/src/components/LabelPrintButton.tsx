// "Print labels" for the rows selected in a list: asks how many labels of the first sheet are
// already used (0–23), posts to /labels and opens the PDF in a new tab.
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiBlob } from '../api/client';
import { useErrorText } from './ErrorBanner';
import { Icon } from './Icon';
import { useToast } from './Toast';

export type RowKey = string | number;

/** Labels already used on the first sheet: an integer from 0 to 23, else null. */
export function parseSkip(value: string): number | null {
  const v = value.trim();
  if (!/^\d{1,2}$/.test(v)) return null;
  const n = Number(v);
  return n <= 23 ? n : null;
}

/** Selected row keys of a list (kept across pages until cleared). */
export function useRowSelection() {
  const [selected, setSelected] = useState<RowKey[]>([]);
  const clear = useCallback(() => setSelected([]), []);
  return { selected, onChange: setSelected, clear };
}

/** Opens `blob` in a new tab (`win` opened during the click, so popup blockers let it through). */
function openBlob(blob: Blob, win: Window | null, filename: string) {
  const url = URL.createObjectURL(blob);
  if (win) {
    win.location.href = url;
  } else {
    const a = document.createElement('a');
    a.href = url;
    a.target = '_blank';
    a.download = filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function LabelPrintButton({ entity, ids }: { entity: string; ids: RowKey[] }) {
  const { t } = useTranslation();
  const toast = useToast();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [skip, setSkip] = useState('0');
  const [busy, setBusy] = useState(false);
  const skipValue = parseSkip(skip);

  const print = async () => {
    if (skipValue === null || ids.length === 0) return;
    setBusy(true);
    const win = window.open('', '_blank');
    try {
      const { blob, filename } = await apiBlob('/labels', {
        method: 'POST',
        body: { entity, ids: ids.map(Number), skip: skipValue },
      });
      openBlob(blob, win, filename ?? `etiquettes-${entity}.pdf`);
      setOpen(false);
    } catch (e) {
      win?.close();
      toast.show(errorText(e), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="label-print">
      <button
        type="button"
        className="btn btn-secondary"
        disabled={ids.length === 0}
        onClick={() => setOpen((o) => !o)}
        data-testid="print-labels"
        title={ids.length === 0 ? t('labels.select_rows') : undefined}
      >
        <Icon name="printer" size={16} />
        <span>{t('labels.print', { count: ids.length })}</span>
      </button>
      {open && ids.length > 0 && (
        <span className="label-print-pop" role="dialog" aria-label={t('labels.print', { count: ids.length })} data-testid="print-labels-dialog">
          <label>
            <span>{t('labels.skip')}</span>
            <input
              className={`input input-sm ${skipValue === null ? 'input-error' : ''}`}
              type="number"
              min={0}
              max={23}
              value={skip}
              onChange={(e) => setSkip(e.target.value)}
              aria-invalid={skipValue === null}
              data-testid="labels-skip"
            />
          </label>
          {skipValue === null && <span className="field-error">{t('labels.skip_invalid')}</span>}
          <button type="button" className="btn btn-primary" disabled={busy || skipValue === null} onClick={() => void print()} data-testid="labels-go">
            {busy ? t('labels.printing') : t('labels.open_pdf')}
          </button>
          <button type="button" className="btn btn-link" onClick={() => setOpen(false)}>
            {t('common.cancel')}
          </button>
        </span>
      )}
    </span>
  );
}

// The record's QR code (it encodes the record's UI URL), fetched with the token, printable as a label.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiBlob } from '../api/client';
import { ErrorBanner } from './ErrorBanner';
import { Icon } from './Icon';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Prints only the label (QR + caption) through a throw-away iframe, not the whole screen. */
function printLabel(src: string, caption: string, sub: string) {
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  frame.setAttribute('aria-hidden', 'true');
  frame.srcdoc = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(caption)}</title>
<style>@page{margin:8mm}body{font-family:system-ui,sans-serif;text-align:center;margin:0}
img{width:45mm;height:45mm}h1{font-size:12pt;margin:2mm 0 0}p{font-size:9pt;margin:1mm 0;color:#333}</style></head>
<body><img src="${src}" alt=""><h1>${escapeHtml(caption)}</h1><p>${escapeHtml(sub)}</p></body></html>`;
  frame.onload = () => {
    const w = frame.contentWindow;
    if (!w) return;
    w.onafterprint = () => setTimeout(() => frame.remove(), 0);
    w.focus();
    w.print();
    setTimeout(() => frame.remove(), 60_000);
  };
  document.body.appendChild(frame);
}

export function QrBadge({ entity, id, caption, subCaption = '' }: { entity: string; id: number | string; caption: string; subCaption?: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['qr', entity, String(id)],
    queryFn: async () => {
      const { blob } = await apiBlob(`/qr/${entity}/${id}.svg`);
      // A data: URL needs no revoking and survives into the print iframe.
      return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(await blob.text())}`;
    },
    staleTime: Infinity,
  });
  return (
    <div className="qr-badge panel" data-testid="qr-badge">
      <h3 className="panel-title">{t('qr.title')}</h3>
      {q.isError && <ErrorBanner error={q.error} />}
      <div className="qr-img">{q.data ? <img src={q.data} alt={`QR ${caption}`} width={132} height={132} data-testid="qr-image" /> : <div className="qr-placeholder" />}</div>
      <p className="muted small">{t('qr.hint')}</p>
      <button type="button" className="btn btn-secondary btn-block" disabled={!q.data} onClick={() => q.data && printLabel(q.data, caption, subCaption)} data-testid="qr-print">
        <Icon name="printer" size={16} /> {t('qr.print')}
      </button>
    </div>
  );
}

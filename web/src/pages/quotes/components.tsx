// Small pieces shared by the quote screens: badges, confidence dot, the grades list, and the
// drawing page images (fetched with the bearer token, shown through an object URL).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiBlob, ApiError } from '../../api/client';
import type { ListResponse } from '../../api/types';
import { Icon } from '../../components/Icon';
import { confidenceLevel, isPending } from './logic';
import type { AnalysisStatus, GradeOption, QuoteStatus } from './types';

export function QuoteStatusBadge({ status, label }: { status: QuoteStatus; label?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`status-badge qs-${status}`} data-testid="quote-status-badge">
      {label || t(`quotes.statuses.${status}`, { defaultValue: status })}
    </span>
  );
}

export function AnalysisBadge({ status, label }: { status: AnalysisStatus; label?: string }) {
  const { t } = useTranslation();
  const pending = isPending(status);
  return (
    <span className={`status-badge as-${status}`} data-testid="analysis-badge" aria-busy={pending || undefined}>
      {pending && <span className="mini-spinner" aria-hidden="true" />}
      {label || t(`quotes.analysis.${status}`, { defaultValue: status })}
    </span>
  );
}

export function ConfidenceDot({ confidence }: { confidence: number | null | undefined }) {
  const { t } = useTranslation();
  const level = confidenceLevel(confidence);
  const text =
    level === 'none' ? t('quotes.confidence_none') : t('quotes.confidence', { pct: Math.round((confidence ?? 0) * 100) });
  return <span className={`conf-dot conf-${level}`} title={text} aria-label={text} role="img" data-testid="conf-dot" data-level={level} />;
}

/** Every grade of /materials (the selects of the quote screens). */
export function useGrades() {
  return useQuery({
    queryKey: ['/materials', 'all'],
    queryFn: () => api<ListResponse<GradeOption>>('/materials', { query: { per_page: 500 } }),
    staleTime: 5 * 60_000,
  });
}

export function gradeLabel(g: GradeOption): string {
  return g.afnor && g.afnor !== g.code ? `${g.code} — ${g.afnor}` : g.code;
}

/**
 * An authenticated image: fetched as a blob with the API client, shown through an object URL
 * that is revoked when the path changes or the component goes away.
 */
export function useBlobUrl(path: string | null): { url: string | null; error: unknown; loading: boolean } {
  const [state, setState] = useState<{ path: string; url: string | null; error: unknown } | null>(null);
  useEffect(() => {
    if (!path) return undefined;
    let cancelled = false;
    let made: string | null = null;
    apiBlob(path)
      .then(({ blob }) => {
        if (cancelled) return;
        made = URL.createObjectURL(blob);
        setState({ path, url: made, error: null });
      })
      .catch((e: unknown) => {
        if (!cancelled) setState({ path, url: null, error: e });
      });
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  const current = state && state.path === path ? state : null;
  return { url: current?.url ?? null, error: current?.error ?? null, loading: !!path && !current };
}

export function pagePath(lineId: number, n: number): string {
  return `/quote-lines/${lineId}/pages/${n}`;
}

/** Page 1 of a line's drawing, small, for the lines table. */
export function DrawingThumb({ lineId, pages, alt }: { lineId: number; pages: number; alt: string }) {
  const img = useBlobUrl(pages > 0 ? pagePath(lineId, 1) : null);
  if (pages <= 0 || img.error) {
    return (
      <span className="q-thumb q-thumb-empty" aria-hidden="true">
        <Icon name="quotes" size={20} />
      </span>
    );
  }
  return (
    <span className="q-thumb" data-testid={`thumb-${lineId}`}>
      {img.url ? <img src={img.url} alt={alt} loading="lazy" /> : <span className="mini-spinner" aria-hidden="true" />}
    </span>
  );
}

/** A client-side check shaped like a problem+json 422, so that it lands under its field. */
export function localFieldError(message: string, field: string): ApiError {
  return new ApiError({ status: 422, code: 'validation', detail: message, errors: [{ field, code: 'required', message }] });
}

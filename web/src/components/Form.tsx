// Form helpers: put each problem+json `errors[]` entry under its input, and the `detail` on top.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import type { FieldError } from '../api/types';
import { stripForbiddenPrefix, useErrorText } from './ErrorBanner';
import { Icon } from './Icon';

export interface MappedErrors {
  /** Messages per form field name. */
  byField: Record<string, string[]>;
  /** Errors whose field is not on the form: shown in the summary so none is lost. */
  unmatched: FieldError[];
}

/** `roles[2]` / `roles.2` → `roles`; `lines[0].qty` → `lines.qty`. */
export function normalizeField(field: string): string {
  return field
    .replace(/\[\d+\]/g, '')
    .replace(/\.\d+(?=\.|$)/g, '')
    .replace(/^\//, '')
    .replace(/\//g, '.');
}

/**
 * Spreads field errors over the form fields. With `knownFields`, an error on `address.city`
 * falls back to `address` when only that exists, and anything still unknown is "unmatched".
 */
export function mapFieldErrors(errors: FieldError[], knownFields?: readonly string[]): MappedErrors {
  const byField: Record<string, string[]> = {};
  const unmatched: FieldError[] = [];
  for (const e of errors) {
    const candidates = [e.field, normalizeField(e.field), normalizeField(e.field).split('.')[0]];
    const target = knownFields ? candidates.find((c) => knownFields.includes(c)) : candidates[1];
    if (target) (byField[target] ??= []).push(e.message);
    else unmatched.push(e);
  }
  return { byField, unmatched };
}

/** Error state of one form, fed with whatever a mutation threw. */
export function useFormErrors(knownFields?: readonly string[]) {
  const [error, setErrorState] = useState<unknown>(null);
  const [cleared, setCleared] = useState<ReadonlySet<string>>(new Set());
  const mapped = useMemo(
    () => mapFieldErrors(isApiError(error) ? error.errors : [], knownFields),
    // knownFields is a constant list per form
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [error],
  );
  const setError = useCallback((e: unknown) => {
    setErrorState(e);
    setCleared(new Set());
  }, []);
  /** The first message for a field, until the user edits that field. */
  const errorFor = useCallback(
    (field: string): string | undefined => (cleared.has(field) ? undefined : mapped.byField[field]?.join(' ')),
    [mapped, cleared],
  );
  const clearField = useCallback((field: string) => {
    setCleared((s) => (s.has(field) ? s : new Set(s).add(field)));
  }, []);
  return { error, setError, errorFor, clearField, unmatched: mapped.unmatched };
}

export function FormErrorSummary({ error, unmatched = [], onReload }: { error: unknown; unmatched?: FieldError[]; onReload?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  if (!error) return null;
  const api = isApiError(error) ? error : null;
  const forbidden = api?.isForbidden;
  return (
    <div className={`banner ${forbidden ? 'banner-forbidden' : 'banner-error'}`} role="alert" data-testid="form-error">
      <Icon name={forbidden ? 'lock' : 'alert'} size={20} />
      <div className="banner-body">
        <strong>
          {forbidden
            ? `${t('errors.forbidden')}${t('common.colon')}${stripForbiddenPrefix(api?.detail ?? '')}`
            : api?.isStale && !api.detail
              ? t('errors.stale_version')
              : text(error)}
        </strong>
        {unmatched.length > 0 && (
          <ul className="banner-list">
            {unmatched.map((e, i) => (
              <li key={i}>
                {e.field ? <code>{e.field}</code> : null} {e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {api?.isStale && onReload && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onReload} data-testid="reload-record">
          {t('common.reload')}
        </button>
      )}
    </div>
  );
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

/** Props that tie an input to its label, hint and error message. */
export function inputProps(name: string, error?: string) {
  const id = fieldId(name);
  return {
    id,
    name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? `${id}-error` : `${id}-hint`,
    'data-testid': `input-${name}`,
  } as const;
}

export function Field({
  name,
  label,
  error,
  hint,
  required,
  children,
  className,
  asGroup,
}: {
  name: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  required?: boolean;
  children: ReactNode;
  className?: string;
  /** For a group of checkboxes: a fieldset/legend instead of label/for. */
  asGroup?: boolean;
}) {
  const { t } = useTranslation();
  const id = fieldId(name);
  const labelInner = (
    <>
      {label}
      {required && (
        <span className="req" title={t('common.required')}>
          {' '}*
        </span>
      )}
    </>
  );
  const body = (
    <>
      {children}
      {hint && !error && (
        <div className="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={`${id}-error`} data-testid={`error-${name}`}>
          {error}
        </div>
      )}
    </>
  );
  const cls = `field ${error ? 'has-error' : ''} ${className ?? ''}`;
  if (asGroup) {
    return (
      <fieldset className={cls} data-testid={`field-${name}`} aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="field-label">{labelInner}</legend>
        {body}
      </fieldset>
    );
  }
  return (
    <div className={cls} data-testid={`field-${name}`}>
      <label className="field-label" htmlFor={id}>
        {labelInner}
      </label>
      {body}
    </div>
  );
}

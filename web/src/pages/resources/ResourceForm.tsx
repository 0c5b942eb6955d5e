// Shared pieces of the resources screens: fields rendered from specs, the create/edit
// mutation, state badges.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RecordBase } from '../../api/types';
import { Field, inputProps, useFormErrors } from '../../components/Form';
import { useToast } from '../../components/Toast';
import { createBody, patchBody, valuesFrom, type FieldSpec, type FormValues } from './logic';
import './resources.css';

export function StateBadge({ state, label }: { state: string; label: string }) {
  return (
    <span className={`status-badge status-${state}`} data-testid={`state-${state}`}>
      {label}
    </span>
  );
}

export function SpecFields({
  specs,
  values,
  set,
  errorFor,
  editable,
}: {
  specs: readonly FieldSpec[];
  values: FormValues;
  set: (name: string, v: string | boolean) => void;
  errorFor: (name: string) => string | undefined;
  editable: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {specs.map((s) => {
        const err = errorFor(s.name);
        const props = inputProps(s.name, err);
        const value = values[s.name];
        let input;
        if (s.kind === 'bool') {
          input = (
            <label className="check-row">
              <input {...props} type="checkbox" checked={Boolean(value)} disabled={!editable} onChange={(e) => set(s.name, e.target.checked)} />
              {t(s.label)}
            </label>
          );
        } else if (s.kind === 'select') {
          input = (
            <select {...props} className="input" disabled={!editable} value={String(value ?? '')} onChange={(e) => set(s.name, e.target.value)}>
              <option value="">{s.required ? t('resources.choose') : '—'}</option>
              {(s.options ?? []).map((o) => (
                <option key={o} value={o}>
                  {t(`${s.optionsKey}.${o}`, { defaultValue: o })}
                </option>
              ))}
            </select>
          );
        } else if (s.kind === 'textarea') {
          input = <textarea {...props} className="input" rows={3} readOnly={!editable} value={String(value ?? '')} onChange={(e) => set(s.name, e.target.value)} />;
        } else {
          input = (
            <input
              {...props}
              className="input"
              type={s.kind === 'date' ? 'date' : 'text'}
              inputMode={s.kind === 'int' ? 'numeric' : s.kind === 'decimal' || s.kind === 'money' ? 'decimal' : undefined}
              readOnly={!editable}
              value={String(value ?? '')}
              onChange={(e) => set(s.name, e.target.value)}
            />
          );
        }
        return (
          <Fragment key={s.name}>
            {s.section && <h3 className="form-section span-2">{t(s.section)}</h3>}
            <div className={s.wide ? 'span-2 spec-cell' : 'spec-cell'}>
            <Field name={s.name} label={t(s.label)} error={err} hint={s.hint ? t(s.hint) : undefined} required={s.required} asGroup={s.kind === 'bool'}>
              {input}
            </Field>
            </div>
          </Fragment>
        );
      })}
    </>
  );
}

/** History labels: the form labels, plus the stored names the audit trail uses. */
export function useFieldLabels(specs: readonly FieldSpec[], aliases: Record<string, string> = {}): Record<string, string> {
  const { t } = useTranslation();
  const out: Record<string, string> = {};
  for (const s of specs) out[s.name] = t(s.label);
  for (const [stored, field] of Object.entries(aliases)) out[stored] = out[field] ?? t(field);
  return out;
}

/** Form state + save mutation of one record (create when `record` is null). */
export function useResourceForm<R extends RecordBase>({
  specs,
  record,
  endpoint,
  extraFields = [],
  extraBody,
  onSaved,
  savedMessage,
}: {
  specs: readonly FieldSpec[];
  record: R | null;
  /** `/machines` */
  endpoint: string;
  extraFields?: readonly string[];
  /** Fields the specs do not cover (skills, hours, photo): merged into the body. */
  extraBody?: () => Record<string, unknown>;
  onSaved: (r: R) => void;
  savedMessage: string;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const form = useFormErrors([...specs.map((s) => s.name), ...extraFields, 'version']);
  const [original] = useState(() => valuesFrom(specs, record as unknown as Record<string, unknown> | null));
  const [values, setValues] = useState<FormValues>(original);
  const set = (name: string, v: string | boolean) => {
    setValues((s) => ({ ...s, [name]: v }));
    form.clearField(name);
  };
  const body = record ? { ...patchBody(specs, original, values), ...(extraBody?.() ?? {}) } : { ...createBody(specs, values), ...(extraBody?.() ?? {}) };
  const dirty = Object.keys(body).length > 0;
  const save = useMutation({
    mutationFn: () =>
      record
        ? api<R>(`${endpoint}/${record.id}`, { method: 'PATCH', body: { version: record.version, ...body } })
        : api<R>(endpoint, { method: 'POST', body }),
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: [endpoint] });
      void qc.invalidateQueries({ queryKey: ['history'] });
      toast.show(savedMessage);
      onSaved(r);
    },
    onError: form.setError,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    form.setError(null);
    save.mutate();
  };
  const reset = () => {
    setValues(original);
    form.setError(null);
  };
  return { form, values, set, dirty, save, submit, reset };
}

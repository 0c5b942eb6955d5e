// Files attached to a record (certificates, drawings, photos…): list, upload (multipart), download
// through fetch with the bearer token, delete after confirmation. Upload and delete need the update
// right on the record's module.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, downloadFile } from '../api/client';
import { useMe } from '../auth/AuthContext';
import { useFormat } from '../lib/useFormat';
import { can } from '../modules';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorBanner } from './ErrorBanner';
import { FormErrorSummary, useFormErrors } from './Form';
import { Icon } from './Icon';
import { useToast } from './Toast';
import '../styles/masterData.css';

export const ATTACHMENT_KINDS = ['document', 'certificat', 'plan', 'photo', 'fiche_securite', 'autre'] as const;

/** Entities that take attachments and the module whose rights apply. */
export const ATTACHMENT_MODULES = {
  clients: 'crm',
  suppliers: 'crm',
  machines: 'machines',
  instruments: 'instruments',
  employees: 'hr',
  tools: 'tools',
  materials: 'materials',
  'material-lots': 'materials',
  'material-stock': 'materials',
  'method-sheets': 'method_sheets',
} as const;

export type AttachmentEntity = keyof typeof ATTACHMENT_MODULES;

export interface Attachment {
  id: number;
  entity: string;
  entity_id: number;
  kind: string;
  kind_label: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  note: string | null;
  uploaded_by_name: string;
  created_at: string;
}

/** 512 o, 12,3 Ko, 4,5 Mo (French) / 512 B, 12.3 KB, 4.5 MB (English), 1 Ko = 1024 octets. */
export function formatSize(bytes: number, lang: 'fr' | 'en' = 'fr'): string {
  const units = lang === 'en' ? ['B', 'KB', 'MB', 'GB'] : ['o', 'Ko', 'Mo', 'Go'];
  const loc = lang === 'en' ? 'en-GB' : 'fr-FR';
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const n = new Intl.NumberFormat(loc, { maximumFractionDigits: u === 0 || v >= 100 ? 0 : 1 }).format(v);
  return `${n}\u00a0${units[u]}`;
}

const UPLOAD_FIELDS = ['file', 'kind', 'note', 'entity', 'entity_id'] as const;

export function AttachmentsPanel({ entity, entityId, title, defaultKind = 'document' }: { entity: AttachmentEntity; entityId: number; title?: string; defaultKind?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const toast = useToast();
  const editable = can(me, ATTACHMENT_MODULES[entity], 'update');
  const key = ['attachments', entity, entityId];
  const list = useQuery({ queryKey: key, queryFn: () => api<Attachment[]>('/attachments', { query: { entity, entity_id: entityId } }) });
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState(defaultKind);
  const [note, setNote] = useState('');
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const form = useFormErrors(UPLOAD_FIELDS);
  const upload = useMutation({
    mutationFn: () => {
      const fd = new FormData();
      fd.append('entity', entity);
      fd.append('entity_id', String(entityId));
      fd.append('kind', kind);
      if (note.trim()) fd.append('note', note.trim());
      if (file) fd.append('file', file, file.name);
      return api<Attachment>('/attachments', { method: 'POST', body: fd });
    },
    onSuccess: (a) => {
      toast.show(t('attachments.uploaded', { name: a.filename }));
      setFile(null);
      setNote('');
      if (fileRef.current) fileRef.current.value = '';
      void qc.invalidateQueries({ queryKey: key });
    },
    onError: form.setError,
  });
  const del = useMutation({
    mutationFn: (a: Attachment) => api<void>(`/attachments/${a.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      toast.show(t('attachments.deleted'));
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: key });
    },
  });
  const download = (a: Attachment) => {
    setDownloadError(null);
    downloadFile(`/attachments/${a.id}/content`, {}, a.filename).catch(setDownloadError);
  };
  const items = list.data ?? [];
  const heading = title ?? t('attachments.title');
  return (
    <section className="panel attachments" data-testid="attachments-panel" aria-label={heading}>
      <h3 className="panel-title">
        {heading}
        {items.length > 0 && <span className="muted"> ({items.length})</span>}
      </h3>
      {list.isPending && <p className="muted">{t('common.loading')}</p>}
      {list.isError && <ErrorBanner error={list.error} onRetry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && <p className="muted small">{t('attachments.empty')}</p>}
      {downloadError ? <ErrorBanner error={downloadError} /> : null}
      {items.length > 0 && (
        <ul className="attachments-list">
          {items.map((a) => (
            <li key={a.id} className="attachment" data-testid="attachment">
              <Icon name="paperclip" size={16} />
              <div className="attachment-main">
                <button type="button" className="attachment-name" title={`${t('attachments.download')} ${a.filename}`} onClick={() => download(a)} data-testid={`attachment-download-${a.id}`}>
                  {a.filename}
                </button>
                <div className="attachment-meta">
                  <span className="chip">{a.kind_label || t(`attachments.kinds.${a.kind}`, { defaultValue: a.kind })}</span> {formatSize(a.size_bytes, f.lang)} ·{' '}
                  {t('attachments.by', { who: a.uploaded_by_name, when: f.dateTime(a.created_at) })}
                </div>
                {a.note && <div className="attachment-meta">{a.note}</div>}
              </div>
              {editable && (
                <button type="button" className="icon-btn" title={t('attachments.delete')} aria-label={`${t('attachments.delete')} ${a.filename}`} onClick={() => setDeleting(a)} data-testid={`attachment-delete-${a.id}`}>
                  <Icon name="trash" size={16} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form
          className="attachment-upload"
          data-testid="attachment-upload"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            form.setError(null);
            if (!file) {
              form.setError(new Error(t('attachments.choose_file')));
              return;
            }
            upload.mutate();
          }}
        >
          <FormErrorSummary error={form.error} unmatched={form.unmatched} />
          <label className="file-pick">
            <input
              ref={fileRef}
              type="file"
              className="sr-only"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                form.setError(null);
              }}
              data-testid="attachment-file"
            />
            <span className="btn btn-secondary btn-sm">{t('attachments.choose')}</span>
            <span className={`file-pick-name ${file ? '' : 'muted'}`}>{file ? `${file.name} (${formatSize(file.size, f.lang)})` : t('attachments.no_file')}</span>
          </label>
          {form.errorFor('file') && <div className="field-error">{form.errorFor('file')}</div>}
          <div className="row">
            <select className="input" aria-label={t('attachments.kind')} value={kind} onChange={(e) => setKind(e.target.value)} data-testid="attachment-kind">
              {ATTACHMENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`attachments.kinds.${k}`)}
                </option>
              ))}
            </select>
            <input className="input" aria-label={t('attachments.note')} placeholder={t('attachments.note')} value={note} onChange={(e) => setNote(e.target.value)} data-testid="attachment-note" />
          </div>
          {form.errorFor('kind') && <div className="field-error">{form.errorFor('kind')}</div>}
          {form.errorFor('note') && <div className="field-error">{form.errorFor('note')}</div>}
          <button type="submit" className="btn btn-secondary btn-block" disabled={upload.isPending} data-testid="attachment-upload-submit">
            <Icon name="plus" size={16} /> {upload.isPending ? t('attachments.uploading') : t('attachments.upload')}
          </button>
        </form>
      )}
      {deleting && (
        <ConfirmDialog
          title={t('attachments.delete_confirm', { name: deleting.filename })}
          danger
          confirmLabel={t('attachments.delete')}
          pending={del.isPending}
          error={del.error}
          onConfirm={() => del.mutate(deleting)}
          onCancel={() => {
            setDeleting(null);
            del.reset();
          }}
          testId="attachment-delete-dialog"
        />
      )}
    </section>
  );
}

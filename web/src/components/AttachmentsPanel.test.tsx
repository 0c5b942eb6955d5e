import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../api/client';
import { RequireAuth } from '../auth/AuthContext';
import { ALL, fakeApi, meWith } from '../test/fakeApi';
import { json, renderApp } from '../test/utils';
import { AttachmentsPanel, type Attachment } from './AttachmentsPanel';

const FILE: Attachment = {
  id: 9,
  entity: 'clients',
  entity_id: 3,
  kind: 'document',
  kind_label: 'Document',
  filename: 'contrat-cadre.pdf',
  content_type: 'application/pdf',
  size_bytes: 245_760,
  sha256: 'ab',
  note: 'Signé 2026',
  uploaded_by_name: 'Administrateur Démo',
  created_at: '2026-11-20T09:30:00Z',
};

beforeEach(() => {
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
  URL.createObjectURL = vi.fn(() => 'blob:file');
  URL.revokeObjectURL = vi.fn();
});
afterEach(() => vi.unstubAllGlobals());

function show(permissions = { crm: [...ALL] }, routes = {}) {
  const api = fakeApi(meWith(permissions), {
    'GET /attachments': () => json(200, [FILE]),
    ...routes,
  });
  renderApp(
    <RequireAuth>
      <AttachmentsPanel entity="clients" entityId={3} />
    </RequireAuth>,
  );
  return api;
}

describe('AttachmentsPanel', () => {
  it('lists the files of the record with size, kind, who and when', async () => {
    const api = show();
    const row = await screen.findByTestId('attachment');
    expect(row.textContent).toContain('contrat-cadre.pdf');
    expect(row.textContent).toContain('240\u00a0Ko');
    expect(row.textContent).toContain('Administrateur Démo');
    expect(row.textContent).toContain('Signé 2026');
    const list = api.made('GET', '/attachments')[0];
    expect(list.search.get('entity')).toBe('clients');
    expect(list.search.get('entity_id')).toBe('3');
  });

  it('uploads the chosen file as multipart with entity, id, kind and note', async () => {
    const api = show(undefined, { 'POST /attachments': () => json(201, { ...FILE, id: 10, filename: 'plan.pdf' }) });
    await screen.findByTestId('attachment');
    const file = new File(['%PDF'], 'plan.pdf', { type: 'application/pdf' });
    fireEvent.change(screen.getByTestId('attachment-file'), { target: { files: [file] } });
    fireEvent.change(screen.getByTestId('attachment-kind'), { target: { value: 'plan' } });
    fireEvent.change(screen.getByTestId('attachment-note'), { target: { value: 'Indice B' } });
    fireEvent.click(screen.getByTestId('attachment-upload-submit'));
    await screen.findByText('Fichier « plan.pdf » joint.');
    const fd = api.made('POST', '/attachments')[0].body as FormData;
    expect(fd.get('entity')).toBe('clients');
    expect(fd.get('entity_id')).toBe('3');
    expect(fd.get('kind')).toBe('plan');
    expect(fd.get('note')).toBe('Indice B');
    expect((fd.get('file') as File).name).toBe('plan.pdf');
    // No JSON content type: the browser sets the multipart boundary.
    expect(api.made('POST', '/attachments')[0].headers.get('content-type')).toBeNull();
  });

  it('shows the French problem detail of a refused upload', async () => {
    show(undefined, { 'POST /attachments': () => json(413, { code: 'payload_too_large', detail: 'Fichier trop volumineux (20 Mo au plus).' }) });
    await screen.findByTestId('attachment');
    fireEvent.change(screen.getByTestId('attachment-file'), { target: { files: [new File(['x'], 'big.bin')] } });
    fireEvent.click(screen.getByTestId('attachment-upload-submit'));
    expect((await screen.findByTestId('form-error')).textContent).toContain('Fichier trop volumineux (20 Mo au plus).');
  });

  it('downloads with the bearer token and saves the blob under its file name', async () => {
    const api = show(undefined, {
      'GET /attachments/9/content': () => new Response(new Blob(['%PDF']), { status: 200, headers: { 'content-type': 'application/pdf' } }),
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fireEvent.click(await screen.findByTestId('attachment-download-9'));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const call = api.made('GET', '/attachments/9/content')[0];
    expect(call.headers.get('authorization')).toBe('Bearer tok');
    expect((click.mock.instances[0] as unknown as HTMLAnchorElement).download).toBe('contrat-cadre.pdf');
    click.mockRestore();
  });

  it('deletes only after confirmation', async () => {
    const api = show(undefined, { 'DELETE /attachments/9': () => new Response(null, { status: 204 }) });
    fireEvent.click(await screen.findByTestId('attachment-delete-9'));
    const dialog = screen.getByTestId('attachment-delete-dialog');
    expect(dialog.textContent).toContain('contrat-cadre.pdf');
    expect(api.made('DELETE', '/attachments/9')).toHaveLength(0);
    fireEvent.click(within(dialog).getByTestId('confirm-ok'));
    await screen.findByText('Fichier supprimé.');
    expect(api.made('DELETE', '/attachments/9')).toHaveLength(1);
  });

  it('hides upload and delete without the update right on the module', async () => {
    show({ crm: ['read'] });
    await screen.findByTestId('attachment');
    expect(screen.queryByTestId('attachment-upload')).toBeNull();
    expect(screen.queryByTestId('attachment-delete-9')).toBeNull();
    expect(screen.getByTestId('attachment-download-9')).toBeTruthy();
  });
});

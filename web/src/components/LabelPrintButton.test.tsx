import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../api/client';
import { LabelPrintButton, parseSkip } from './LabelPrintButton';
import { ToastProvider } from './Toast';

const fetchMock = vi.fn<typeof fetch>();
const openMock = vi.fn();
const fakeTab = { location: { href: '' }, close: vi.fn() };

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  openMock.mockReset();
  openMock.mockReturnValue(fakeTab);
  fakeTab.location.href = '';
  vi.stubGlobal('open', openMock);
  URL.createObjectURL = vi.fn(() => 'blob:labels');
  URL.revokeObjectURL = vi.fn();
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
});
afterEach(() => vi.unstubAllGlobals());

describe('parseSkip', () => {
  it('accepts 0 to 23 labels already used and nothing else', () => {
    expect(parseSkip('0')).toBe(0);
    expect(parseSkip(' 23 ')).toBe(23);
    expect(parseSkip('24')).toBeNull();
    expect(parseSkip('-1')).toBeNull();
    expect(parseSkip('2.5')).toBeNull();
    expect(parseSkip('')).toBeNull();
  });
});

describe('LabelPrintButton', () => {
  it('is disabled until rows are selected', () => {
    render(
      <ToastProvider>
        <LabelPrintButton entity="tools" ids={[]} />
      </ToastProvider>,
    );
    expect((screen.getByTestId('print-labels') as HTMLButtonElement).disabled).toBe(true);
  });

  it('posts the selected ids with the used labels and opens the PDF in a new tab', async () => {
    fetchMock.mockResolvedValue(new Response(new Blob(['%PDF-1.7']), { status: 200, headers: { 'content-type': 'application/pdf' } }));
    function Host() {
      const [ids] = useState<(string | number)[]>([3, '7']);
      return <LabelPrintButton entity="tools" ids={ids} />;
    }
    render(
      <ToastProvider>
        <Host />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByTestId('print-labels'));
    const skip = screen.getByTestId('labels-skip');
    fireEvent.change(skip, { target: { value: '30' } });
    expect((screen.getByTestId('labels-go') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(skip, { target: { value: '5' } });
    fireEvent.click(screen.getByTestId('labels-go'));
    await waitFor(() => expect(fakeTab.location.href).toBe('blob:labels'));
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toContain('/api/v1/labels');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ entity: 'tools', ids: [3, 7], skip: 5 });
    expect(new Headers(init?.headers).get('Authorization')).toBe('Bearer tok');
    expect(screen.queryByTestId('print-labels-dialog')).toBeNull();
  });

  it('shows the API error and closes the blank tab when printing fails', async () => {
    fetchMock.mockResolvedValue(
      new Response(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, code: 'not_found', detail: 'Outil introuvable.' }), {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    render(
      <ToastProvider>
        <LabelPrintButton entity="tools" ids={[999]} />
      </ToastProvider>,
    );
    fireEvent.click(screen.getByTestId('print-labels'));
    fireEvent.click(screen.getByTestId('labels-go'));
    await screen.findByText('Outil introuvable.');
    expect(fakeTab.close).toHaveBeenCalled();
  });
});

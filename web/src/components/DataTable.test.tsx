import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setTokens } from '../api/client';
import { DataTable, nextSort, parseSort, type DataColumn } from './DataTable';

interface Row {
  id: number;
  login: string;
  full_name: string;
}

const ROWS: Row[] = [
  { id: 1, login: 'admin', full_name: 'Administrateur Démo' },
  { id: 2, login: 'operateur', full_name: 'Kevin Dumas' },
];

const columns: DataColumn<Row>[] = [
  { id: 'login', header: 'Identifiant', sortKey: 'login', cell: (r) => r.login },
  { id: 'full_name', header: 'Nom complet', sortKey: 'full_name', cell: (r) => r.full_name },
  { id: 'secret', header: 'Caché', cell: () => 'x', hiddenByDefault: true },
];

const fetchMock = vi.fn<typeof fetch>();

function listResponse(items: Row[], total = items.length) {
  return new Response(JSON.stringify({ items, total, page: 1, per_page: 50 }), { status: 200, headers: { 'content-type': 'application/json' } });
}

/** The query string of the n-th list request, as a map. */
function requested(n: number): Record<string, string> {
  const url = new URL(String(fetchMock.mock.calls[n][0]), 'http://x');
  return Object.fromEntries(url.searchParams);
}

function Where() {
  const loc = useLocation();
  return <div data-testid="where">{loc.pathname + loc.search}</div>;
}

function renderTable(ui: ReactNode, initial = '/users') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[initial]}>
        <Routes>
          <Route path="/users" element={<>{ui}<Where /></>} />
          <Route path="/users/:id" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  fetchMock.mockReset();
  fetchMock.mockImplementation(async () => listResponse(ROWS, 120));
  vi.stubGlobal('fetch', fetchMock);
  setTokens({ access_token: 'tok', refresh_token: 'ref' });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('sort helpers', () => {
  it('parses and flips the sort parameter', () => {
    expect(parseSort('-updated_at')).toEqual({ field: 'updated_at', desc: true });
    expect(parseSort(null)).toBeNull();
    expect(nextSort(null, 'login')).toBe('login');
    expect(nextSort('login', 'login')).toBe('-login');
    expect(nextSort('-login', 'login')).toBe('login');
    expect(nextSort('-login', 'full_name')).toBe('full_name');
  });
});

describe('DataTable', () => {
  it('renders the rows of the server page with its paging parameters', async () => {
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} defaultSort="login" />);
    expect(await screen.findByText('Kevin Dumas')).toBeTruthy();
    expect(screen.getByTestId('row-1').textContent).toContain('admin');
    expect(String(fetchMock.mock.calls[0][0]).startsWith('/api/v1/users?')).toBe(true);
    expect(requested(0)).toEqual({ sort: 'login', page: '1', per_page: '50' });
    expect(new Headers(fetchMock.mock.calls[0][1]?.headers).get('authorization')).toBe('Bearer tok');
    // 120 rows at 50 per page: 3 pages.
    expect(screen.getByTestId('datatable-total').textContent).toContain('1–50');
    expect(screen.getByTestId('datatable-total').textContent).toContain('120');
    expect(screen.getByText('1 / 3')).toBeTruthy();
    // Hidden-by-default column is not rendered.
    expect(screen.queryByText('Caché')).toBeNull();
  });

  it('sorts by clicking a header: ascending, then descending', async () => {
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} />);
    await screen.findByText('Kevin Dumas');
    expect(requested(0).sort).toBeUndefined();

    fireEvent.click(within(screen.getByTestId('th-full_name')).getByRole('button'));
    await waitFor(() => expect(requested(fetchMock.mock.calls.length - 1).sort).toBe('full_name'));
    expect(screen.getByTestId('th-full_name').getAttribute('aria-sort')).toBe('ascending');

    fireEvent.click(within(screen.getByTestId('th-full_name')).getByRole('button'));
    await waitFor(() => expect(requested(fetchMock.mock.calls.length - 1).sort).toBe('-full_name'));
    expect(screen.getByTestId('th-full_name').getAttribute('aria-sort')).toBe('descending');
    expect(screen.getByTestId('where').textContent).toContain('sort=-full_name');
  });

  it('debounces the search box into q and goes back to page 1', async () => {
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} />, '/users?page=2');
    await screen.findByText('Kevin Dumas');
    expect(requested(0).page).toBe('2');
    const calls = fetchMock.mock.calls.length;
    fireEvent.change(screen.getByTestId('datatable-search'), { target: { value: 'dum' } });
    // Nothing is sent while typing.
    expect(fetchMock.mock.calls.length).toBe(calls);
    await waitFor(() => expect(requested(fetchMock.mock.calls.length - 1)).toMatchObject({ q: 'dum', page: '1' }));
  });

  it('sends declared filters and moves to the next page', async () => {
    renderTable(
      <DataTable<Row>
        tableId="t"
        endpoint="/users"
        columns={columns}
        rowKey={(r) => r.id}
        filters={[{ key: 'active', label: 'Statut', type: 'select', options: [{ value: 'false', label: 'Inactifs' }] }]}
      />,
    );
    await screen.findByText('Kevin Dumas');
    fireEvent.change(screen.getByTestId('filter-active'), { target: { value: 'false' } });
    await waitFor(() => expect(requested(fetchMock.mock.calls.length - 1).active).toBe('false'));
    fireEvent.click(screen.getByTestId('page-next'));
    await waitFor(() => expect(requested(fetchMock.mock.calls.length - 1)).toMatchObject({ active: 'false', page: '2' }));
  });

  it('opens the record when a row is clicked', async () => {
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} rowHref={(r) => `/users/${r.id}`} />);
    fireEvent.click(await screen.findByText('Kevin Dumas'));
    expect(screen.getByTestId('where').textContent).toBe('/users/2');
  });

  it('shows and remembers the column choice', async () => {
    renderTable(<DataTable<Row> tableId="cols" endpoint="/users" columns={columns} rowKey={(r) => r.id} />);
    await screen.findByText('Kevin Dumas');
    fireEvent.click(screen.getByTestId('columns-button'));
    fireEvent.click(screen.getByTestId('col-toggle-full_name'));
    expect(screen.queryByText('Kevin Dumas')).toBeNull();
    expect(JSON.parse(localStorage.getItem('usinage.cols.cols') ?? '{}')).toMatchObject({ full_name: false });
  });

  it('exports the same query as a file, without paging, through fetch', async () => {
    const created: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (created.push(b), 'blob:x'), revokeObjectURL: () => undefined }));
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} defaultSort="-login" />, '/users?q=dum&page=3');
    await screen.findByText('Kevin Dumas');
    fetchMock.mockImplementationOnce(async () => new Response('login;full_name\n', { status: 200, headers: { 'content-disposition': 'attachment; filename="users.csv"' } }));
    fireEvent.click(screen.getByTestId('export-csv'));
    await waitFor(() => expect(created.length).toBe(1));
    const q = requested(fetchMock.mock.calls.length - 1);
    expect(q).toEqual({ q: 'dum', sort: '-login', format: 'csv' });
    expect(names).toEqual(['users.csv']);
    expect(new Headers(fetchMock.mock.calls.at(-1)?.[1]?.headers).get('authorization')).toBe('Bearer tok');
  });

  it('shows a 403 as an access-denied banner with the server text', async () => {
    fetchMock.mockImplementation(async () =>
      new Response(JSON.stringify({ status: 403, code: 'forbidden', detail: 'Vous n’avez pas le droit « lire » sur le module « Utilisateurs ».' }), {
        status: 403,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    renderTable(<DataTable<Row> tableId="t" endpoint="/users" columns={columns} rowKey={(r) => r.id} />);
    const banner = await screen.findByTestId('forbidden-banner');
    expect(banner.textContent).toContain('Accès refusé');
    expect(banner.textContent).toContain('« Utilisateurs »');
  });
});

import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { Field, FormErrorSummary, inputProps, mapFieldErrors, normalizeField, useFormErrors } from './Form';

describe('normalizeField', () => {
  it('strips indices and JSON-pointer slashes', () => {
    expect(normalizeField('roles[1]')).toBe('roles');
    expect(normalizeField('roles.0')).toBe('roles');
    expect(normalizeField('lines[2].qty')).toBe('lines.qty');
    expect(normalizeField('/address/city')).toBe('address.city');
  });
});

describe('mapFieldErrors', () => {
  const errors = [
    { field: 'login', code: 'taken', message: 'Identifiant déjà utilisé' },
    { field: 'login', code: 'format', message: 'Caractères interdits' },
    { field: 'roles[0]', code: 'unknown', message: 'Rôle inconnu' },
    { field: 'address.city', code: 'required', message: 'Ville obligatoire' },
    { field: 'siret', code: 'siret_checksum', message: 'Clé incorrecte' },
  ];
  it('groups messages under the form fields and keeps the rest apart', () => {
    const m = mapFieldErrors(errors, ['login', 'roles', 'address']);
    expect(m.byField).toEqual({
      login: ['Identifiant déjà utilisé', 'Caractères interdits'],
      roles: ['Rôle inconnu'],
      address: ['Ville obligatoire'],
    });
    expect(m.unmatched).toEqual([{ field: 'siret', code: 'siret_checksum', message: 'Clé incorrecte' }]);
  });
  it('maps everything by normalized name when no field list is given', () => {
    expect(Object.keys(mapFieldErrors(errors).byField)).toEqual(['login', 'roles', 'address.city', 'siret']);
  });
});

function Demo({ error }: { error: unknown }) {
  const form = useFormErrors(['login', 'password']);
  return (
    <div>
      <button onClick={() => form.setError(error)}>fail</button>
      <button onClick={() => form.clearField('login')}>edit-login</button>
      <FormErrorSummary error={form.error} unmatched={form.unmatched} />
      <Field name="login" label="Identifiant" error={form.errorFor('login')}>
        <input {...inputProps('login', form.errorFor('login'))} />
      </Field>
      <Field name="password" label="Mot de passe" error={form.errorFor('password')}>
        <input {...inputProps('password', form.errorFor('password'))} />
      </Field>
    </div>
  );
}

describe('form error display', () => {
  const error = new ApiError({
    status: 422,
    code: 'validation',
    detail: 'Données invalides (2).',
    errors: [
      { field: 'login', code: 'taken', message: 'Identifiant déjà utilisé' },
      { field: 'employee_id', code: 'unknown', message: 'Salarié inconnu' },
    ],
  });

  it('shows the detail on top, each message under its input, and unknown fields in the summary', () => {
    render(<Demo error={error} />);
    expect(screen.queryByTestId('form-error')).toBeNull();
    fireEvent.click(screen.getByText('fail'));
    expect(screen.getByTestId('form-error').textContent).toContain('Données invalides (2).');
    expect(screen.getByTestId('form-error').textContent).toContain('Salarié inconnu');
    const msg = screen.getByTestId('error-login');
    expect(msg.textContent).toBe('Identifiant déjà utilisé');
    // The message is tied to its input for screen readers.
    const input = screen.getByTestId('input-login');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(msg.id);
    expect(screen.getByLabelText('Identifiant')).toBe(input);
    expect(screen.queryByTestId('error-password')).toBeNull();
  });

  it('hides a field message once the user edits that field', () => {
    render(<Demo error={error} />);
    fireEvent.click(screen.getByText('fail'));
    fireEvent.click(screen.getByText('edit-login'));
    expect(screen.queryByTestId('error-login')).toBeNull();
    expect(screen.getByTestId('form-error')).toBeTruthy();
  });

  it('spells out a 403 as Accès refusé with the server detail', () => {
    render(<Demo error={new ApiError({ status: 403, code: 'forbidden', detail: 'Réservé aux administrateurs.' })} />);
    fireEvent.click(screen.getByText('fail'));
    expect(screen.getByTestId('form-error').textContent).toMatch(/Accès refusé\s*:\s*Réservé aux administrateurs\./);
  });
});

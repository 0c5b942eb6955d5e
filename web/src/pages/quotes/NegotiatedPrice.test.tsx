import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import '../../i18n';
import { LINE } from './fixtures';
import { NegotiatedPrice } from './NegotiatedPrice';

const line = { ...LINE, selected_quantity: 10, unit_price: '47.94', unit_price_override: null };

describe('NegotiatedPrice', () => {
  it('sends the typed unit price as typed and shows the offer price meanwhile', () => {
    const onSubmit = vi.fn();
    render(<NegotiatedPrice line={line} editable pending={false} onSubmit={onSubmit} />);
    expect(screen.getByTestId('negotiated-price').textContent).toMatch(/47,94/);
    const apply = screen.getByRole('button', { name: 'Appliquer' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Prix unitaire HT (€)'), { target: { value: ' 45,50 ' } });
    fireEvent.click(apply);
    expect(onSubmit).toHaveBeenCalledWith('45,50');
    expect(screen.queryByRole('button', { name: /Revenir/ })).toBeNull();
  });

  it('offers to go back to the offer price when a price was typed, and is read-only when locked', () => {
    const onSubmit = vi.fn();
    const typed = { ...line, unit_price: '45.50', unit_price_override: '45.50' };
    const { rerender } = render(<NegotiatedPrice line={typed} editable pending={false} onSubmit={onSubmit} />);
    expect(screen.getByTestId('negotiated-price').textContent).toMatch(/Prix convenu : 45,50/);
    fireEvent.click(screen.getByRole('button', { name: /Revenir/ }));
    expect(onSubmit).toHaveBeenCalledWith('');
    rerender(<NegotiatedPrice line={typed} editable={false} pending={false} onSubmit={onSubmit} />);
    expect(screen.queryByRole('textbox')).toBeNull();
  });

  it('is hidden without an estimate', () => {
    render(<NegotiatedPrice line={{ ...line, estimate: null }} editable pending={false} onSubmit={vi.fn()} />);
    expect(screen.queryByTestId('negotiated-price')).toBeNull();
  });
});

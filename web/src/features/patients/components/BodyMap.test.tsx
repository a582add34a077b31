import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { deposit, ELBOW, FINGER } from '../../../test/fixtures';
import { BodyMap } from './BodyMap';

const HANDS = deposit({ id: '00000000-0000-4000-8000-000000000103', label: 'Both palms', site: 'hand', laterality: 'bilateral' });
const OTHER = deposit({ id: '00000000-0000-4000-8000-000000000104', label: 'Scalp', site: 'other', laterality: 'not-applicable' });

describe('the body map', () => {
  const worst = (id: string) => (id === FINGER.id ? ({ severity: 'high', rule: 'DEPOSIT_GROWTH' } as const) : id === ELBOW.id ? ({ severity: 'info', rule: 'OVERDUE_REVIEW' } as const) : null);

  it("names each marker after its deposit, site and side, and its worst open alert", () => {
    render(<BodyMap deposits={[FINGER, ELBOW, HANDS, OTHER]} worstAlert={worst} onSelect={() => undefined} />);
    expect(screen.getByRole('button', { name: 'R index pulp (right finger), worst open alert High: Deposit growth' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'L olecranon (left elbow), worst open alert Info: Overdue review' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Scalp (other), open alerts: None' })).toBeInTheDocument();
    // a deposit on both sides has a marker on each side, but one stop for keyboards and screen readers
    expect(screen.getAllByRole('button', { name: /^Both palms/ })).toHaveLength(1);
    expect(document.querySelectorAll('.map-marker')).toHaveLength(5);
  });

  it('shows the severity by shape and word, not by colour alone', () => {
    render(<BodyMap deposits={[FINGER, ELBOW]} worstAlert={worst} onSelect={() => undefined} />);
    const finger = screen.getByRole('button', { name: /^R index pulp/ });
    expect(finger).toHaveTextContent('High');
    expect(finger.querySelector('svg.severity-icon--high path')).not.toBeNull();
    expect(screen.getByRole('button', { name: /^L olecranon/ })).toHaveTextContent('Info');
  });

  it('selecting a marker, by mouse or keyboard, selects that deposit', async () => {
    const onSelect = vi.fn();
    render(<BodyMap deposits={[FINGER, ELBOW]} worstAlert={worst} onSelect={onSelect} />);
    await userEvent.click(screen.getByRole('button', { name: /^L olecranon/ }));
    expect(onSelect).toHaveBeenLastCalledWith(ELBOW.id);
    // back to the finger's marker with the keyboard, and select it
    await userEvent.tab({ shift: true });
    expect(screen.getByRole('button', { name: /^R index pulp/ })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith(FINGER.id);
    await userEvent.keyboard(' ');
    expect(onSelect).toHaveBeenCalledTimes(3);
  });
});

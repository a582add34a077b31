import type { DepositDetail } from '../../../api/types';
import { signed } from '../../../labels';

/** A change as the API computed it: "+6 mm (+75 %)". */
export function Change({ change }: { change: DepositDetail['changeSinceBaseline'] }) {
  const c = change as { mm: number; percent: number | null } | null;
  if (!c) return <>—</>;
  return (
    <>
      {signed(c.mm, ' mm')}
      {c.percent !== null && c.percent !== undefined ? ` (${signed(c.percent, ' %')})` : ''}
    </>
  );
}

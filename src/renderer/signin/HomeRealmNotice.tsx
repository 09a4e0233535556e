import type { FormConnection } from '../../shared/client-config';
import type { HomeRealm } from './use-home-realm';

const nameOf = (c: FormConnection) => c.label ?? c.name;

/**
 * What home-realm discovery did, in a polite live region that is always in the page (so the
 * switch is announced when its text appears; hidden and out of the form's grid while empty),
 * and the button that undoes it.
 */
export function HomeRealmNotice<C extends FormConnection>({ realm }: { realm: HomeRealm<C> }) {
  const s = realm.switched;
  return (
    <>
      <p role="status" data-home-realm className={s ? 'notice' : 'visually-hidden'}>
        {s ? `Signing in with ${nameOf(s.to)} (${s.domain})` : ''}
      </p>
      {s && (
        <button type="button" className="link-button home-realm-undo" onClick={realm.undo}>
          Use {nameOf(s.from)} instead
        </button>
      )}
    </>
  );
}

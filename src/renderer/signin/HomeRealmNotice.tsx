import type { FormConnection } from '../../shared/client-config';
import type { HomeRealm } from './use-home-realm';
import { connectionName } from './username-label';

/**
 * What home-realm discovery did, in a polite live region that is always in the page (so the
 * switch is announced when its text appears; hidden and out of the form's grid while empty),
 * saying it can be undone, and the button that undoes it. The form puts it right after the
 * username field, so the undo button is the next tab stop from where the user typed.
 */
export function HomeRealmNotice<C extends FormConnection>({ realm }: { realm: HomeRealm<C> }) {
  const s = realm.switched;
  return (
    <>
      <p role="status" data-home-realm className={s ? 'notice' : 'visually-hidden'}>
        {s
          ? `Signing in with ${connectionName(s.to)} (${s.domain}). You can use ${connectionName(s.from)} instead.`
          : ''}
      </p>
      {s && (
        <button type="button" className="link-button home-realm-undo" onClick={realm.undo}>
          Use {connectionName(s.from)} instead
        </button>
      )}
    </>
  );
}

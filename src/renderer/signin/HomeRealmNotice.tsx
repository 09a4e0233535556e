import type { FormConnection } from '../../shared/client-config';
import type { HomeRealm } from './use-home-realm';
import { connectionName } from './username-label';
import { useT } from '../i18n';

/**
 * What home-realm discovery did, in a polite live region that is always in the page (so the
 * switch is announced when its text appears; hidden and out of the form's grid while empty),
 * saying it can be undone, and the button that undoes it. The form puts it right after the
 * username field, so the undo button is the next tab stop from where the user typed.
 */
export function HomeRealmNotice<C extends FormConnection>({ realm }: { realm: HomeRealm<C> }) {
  const t = useT();
  const s = realm.switched;
  return (
    <>
      <p role="status" data-home-realm className={s ? 'notice' : 'visually-hidden'}>
        {s
          ? t('signin.hrd.switched', {
              to: connectionName(s.to, t),
              domain: s.domain,
              from: connectionName(s.from, t),
            })
          : ''}
      </p>
      {s && (
        <button type="button" className="link-button home-realm-undo" onClick={realm.undo}>
          {t('signin.hrd.undo', { from: connectionName(s.from, t) })}
        </button>
      )}
    </>
  );
}

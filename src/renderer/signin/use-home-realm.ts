/**
 * Home-realm discovery in the password form (spec §8, as Lock): an email in the form while it
 * is on a database connection, whose domain belongs to an AD connection the form offers
 * (`homeRealm`), switches the form to that connection with the part before `@` as the
 * username. Never while the user types (a longer domain may still come): when the field is
 * left for somewhere other than a button of the form, and at submit, where a switch stops the
 * submit so the user sees it first. The switch is shown and announced (HomeRealmNotice) and
 * can be undone: undo restores the connection and what was typed, and HRD then leaves that
 * address alone.
 */
import { useRef, useState, type RefObject } from 'react';
import { homeRealm, realmUsername, type FormConnection } from '../../shared/client-config';
import type { ConnectionChoice } from '../components/ConnectionSelect';
import { emailParts } from './email';

/** When the typed username is looked at. */
export type HomeRealmMoment = 'blur' | 'submit';

/** A switch HRD made: where from, where to, what the user had typed, and its domain (ASCII). */
export interface HomeRealmSwitch<C extends FormConnection> {
  from: C;
  to: C;
  typed: string;
  domain: string;
}

export interface HomeRealm<C extends FormConnection> {
  /** The switch in effect (the form is still on its connection), else null. */
  switched: HomeRealmSwitch<C> | null;
  /**
   * Looks at `text` typed into the username field: when it discovers a home realm, switches
   * the connection and answers it with the username to use (the part before `@`) and
   * `switched: true`; otherwise answers `text` and the current connection unchanged.
   */
  discover(
    text: string,
    moment: HomeRealmMoment,
  ): { connection: C | undefined; username: string; switched: boolean };
  /** Goes back to the connection and text before the switch; HRD then skips that address. */
  undo(): void;
  /** Forgets the switch (the user picked a connection by hand). */
  forget(): void;
}

/**
 * HRD for the form of `choice`; `setUsername` is how undo puts back what was typed, and
 * `field` (the username input) gets the focus back from the undo button, which goes away.
 */
export function useHomeRealm<C extends FormConnection>(
  choice: ConnectionChoice<C>,
  setUsername: (text: string) => void,
  field?: RefObject<HTMLInputElement | null>,
): HomeRealm<C> {
  const [made, setMade] = useState<HomeRealmSwitch<C> | null>(null);
  /** Addresses (lower case) whose switch the user undid. */
  const declined = useRef(new Set<string>());
  const current = choice.connection;
  // A switch shows only while the form is on the connection it switched to.
  const switched = made && current?.name === made.to.name ? made : null;

  function discover(text: string, _moment: HomeRealmMoment) {
    const unchanged = { connection: current, username: text, switched: false };
    const email = text.trim();
    if (!current || current.kind !== 'database') return unchanged;
    if (declined.current.has(email.toLowerCase())) return unchanged;
    const parts = emailParts(email);
    if (!parts) return unchanged;
    const realm = homeRealm(`${parts.local}@${parts.domain}`, choice.connections);
    if (!realm) return unchanged;
    setMade({ from: current, to: realm, typed: text, domain: parts.domain });
    choice.setName(realm.name);
    const address = `${parts.local}@${parts.domain}`;
    return {
      connection: realm,
      username: realmUsername(realm, parts.local, address),
      switched: true,
    };
  }

  function undo() {
    if (!switched) return;
    declined.current.add(switched.typed.trim().toLowerCase());
    choice.setName(switched.from.name);
    setUsername(switched.typed);
    setMade(null);
    field?.current?.focus();
  }

  return { switched, discover, undo, forget: () => setMade(null) };
}

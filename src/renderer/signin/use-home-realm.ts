/**
 * Home-realm discovery in the password form (spec §8, as Lock): an email typed while the form
 * is on a database connection whose domain belongs to an AD connection the form offers
 * (`homeRealm`) switches the form to that connection, with the part before `@` as the
 * username. The switch is shown and announced (HomeRealmNotice) and can be undone: undo
 * restores the connection and what was typed, and HRD then leaves that address alone.
 */
import { useRef, useState, type RefObject } from 'react';
import { homeRealm, type FormConnection } from '../../shared/client-config';
import type { ConnectionChoice } from '../components/ConnectionSelect';

/** A whole address while typing (`x@host.tld`): a partial domain switches nothing. */
const FULL_EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$/;

/** When the typed username is looked at. */
export type HomeRealmMoment = 'typing' | 'blur' | 'submit';

/** A switch HRD made: where from, where to, and what the user had typed. */
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
   * the connection and answers the username to use (the part before `@`); otherwise answers
   * `text` and the current connection unchanged.
   */
  discover(text: string, moment: HomeRealmMoment): { connection: C | undefined; username: string };
  /** Goes back to the connection and text before the switch; HRD then skips that address. */
  undo(): void;
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

  function discover(text: string, moment: HomeRealmMoment) {
    const unchanged = { connection: current, username: text };
    const email = text.trim();
    if (!current || current.kind !== 'database') return unchanged;
    if (moment === 'typing' && !FULL_EMAIL.test(email)) return unchanged;
    if (declined.current.has(email.toLowerCase())) return unchanged;
    const realm = homeRealm(email, choice.connections);
    if (!realm) return unchanged;
    const at = email.lastIndexOf('@');
    setMade({ from: current, to: realm, typed: text, domain: email.slice(at + 1).toLowerCase() });
    choice.setName(realm.name);
    return { connection: realm, username: email.slice(0, at) };
  }

  function undo() {
    if (!switched) return;
    declined.current.add(switched.typed.trim().toLowerCase());
    choice.setName(switched.from.name);
    setUsername(switched.typed);
    setMade(null);
    field?.current?.focus();
  }

  return { switched, discover, undo };
}

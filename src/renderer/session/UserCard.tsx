import { useState } from 'react';
import type { SessionResult } from '../../shared/session';
import { useT, type MessageKey } from '../i18n';
import { KIND_LABELS } from '../signin/username-label';
import { errorSentence } from '../i18n/error-text';
import { rich } from '../i18n/rich';

function initials(name: string): string {
  const parts = name.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

/** Where the session is kept, in words. */
const STORED: Record<SessionResult['stored'], MessageKey> = {
  keychain: 'session.user.stored.keychain',
  memory: 'session.user.stored.memory',
  none: 'session.user.stored.none',
};

/** Who is signed in: picture (or initials), name, email, connection and where it is kept. */
export function UserCard({ session }: { session: SessionResult }) {
  const t = useT();
  const { profile } = session;
  const { label, kind } = session.connection;
  // "AD/LDAP" and "SMS" are names; "Database" is a word.
  const kindName = kind === 'database' ? t('session.user.kindDatabase') : KIND_LABELS[kind];
  const [broken, setBroken] = useState(false);
  const name = profile.name ?? profile.nickname ?? session.username;
  const contact = profile.email ?? profile.phone_number ?? session.username;
  return (
    <section className="user-card" aria-label={t('session.user.region')}>
      {profile.picture && !broken ? (
        <img
          className="avatar"
          src={profile.picture}
          alt=""
          width={56}
          height={56}
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
        />
      ) : (
        <span className="avatar avatar-initials" aria-hidden="true">
          {initials(name)}
        </span>
      )}
      <div className="user-text">
        <p className="user-name" translate="no" dir="auto">
          {name}
        </p>
        {contact !== name && (
          <p className="user-contact" translate="no" dir="ltr">
            {contact}
          </p>
        )}
        <p className="user-meta">
          {label === KIND_LABELS[kind]
            ? kindName
            : rich(
                t,
                'session.user.connection',
                {
                  connection: (
                    <span translate="no" dir="auto">
                      {label}
                    </span>
                  ),
                },
                { kind: kindName },
              )}{' '}
          · {t(STORED[session.stored])}
        </p>
        {session.storeError && (
          <p className="field-warning">{errorSentence(t, session.storeError).message}</p>
        )}
      </div>
    </section>
  );
}

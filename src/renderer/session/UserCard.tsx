import { useState } from 'react';
import type { SessionResult } from '../../shared/session';
import { KIND_LABELS } from '../signin/username-label';

function initials(name: string): string {
  const parts = name.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

const STORED: Record<SessionResult['stored'], string> = {
  keychain: 'Remembered in the system keychain',
  memory: 'Kept in memory only (forgotten when Signet quits)',
  none: 'Not remembered',
};

/** Who is signed in: picture (or initials), name, email, connection and where it is kept. */
export function UserCard({ session }: { session: SessionResult }) {
  const { profile } = session;
  const [broken, setBroken] = useState(false);
  const name = profile.name ?? profile.nickname ?? session.username;
  const contact = profile.email ?? profile.phone_number ?? session.username;
  return (
    <section className="user-card" aria-label="Signed-in user">
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
        <p className="user-name">{name}</p>
        {contact !== name && <p className="user-contact">{contact}</p>}
        <p className="user-meta">
          {session.connection.label === KIND_LABELS[session.connection.kind]
            ? session.connection.label
            : `${session.connection.label} (${KIND_LABELS[session.connection.kind]})`}{' '}
          · {STORED[session.stored]}
        </p>
        {session.storeError && <p className="field-warning">{session.storeError.message}</p>}
      </div>
    </section>
  );
}

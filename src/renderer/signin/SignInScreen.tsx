import { lazy, useState } from 'react';
import type { SignInFormProps } from './form-props';
import { Tabs, type TabItem } from '../components/Tabs';
import { PasswordForm } from './PasswordForm';
import { LazyPart } from '../components/Loading';

// libphonenumber-js and its metadata (~35 KB gzipped) load only for the SMS tab.
const loadSms = () => import('../sms/SmsForm');
const SmsForm = lazy(loadSms);

/** Starts fetching the SMS tab's code while the page is idle, so the tab opens at once. */
export function prefetchSms(): void {
  void loadSms().catch(() => undefined);
}

/** The sign-in screen: Password/LDAP and SMS tabs. */
export function SignInScreen({ view, connections, onSignedIn }: SignInFormProps) {
  const hasPassword = connections.some((c) => c.kind !== 'sms');
  const hasSms = connections.some((c) => c.kind === 'sms');
  const [tab, setTab] = useState(hasPassword || !hasSms ? 'password' : 'sms');

  const items: TabItem[] = [];
  if (hasPassword || !hasSms)
    items.push({
      id: 'password',
      label: 'Password / LDAP',
      panel: <PasswordForm view={view} connections={connections} onSignedIn={onSignedIn} />,
    });
  if (hasSms)
    items.push({
      id: 'sms',
      label: 'SMS',
      panel: (
        <LazyPart>
          <SmsForm view={view} connections={connections} onSignedIn={onSignedIn} />
        </LazyPart>
      ),
    });

  return <Tabs label="How to sign in" items={items} selected={tab} onSelect={setTab} />;
}

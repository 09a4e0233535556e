import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import type { SignInError } from '../../shared/errors';
import type { ScopeChoice, SettingsView } from '../../shared/ipc';
import type { SessionResult } from '../../shared/session';
import { asSignInError, signet } from '../api';
import { CodeInput } from '../components/CodeInput';
import { ErrorBanner } from '../components/ErrorBanner';
import { useNow } from '../hooks/use-now';
import { ScopePicker, scopeChoiceFor } from '../signin/ScopePicker';
import { CountryPicker } from './CountryPicker';
import { findCountry } from './countries';
import { PhoneInput } from './PhoneInput';

const RESEND_SECONDS = 30;

/** SMS sign-in: phone number → Send code → 6-digit code → signed in. */
export default function SmsForm({
  view,
  onSignedIn,
}: {
  view: SettingsView;
  onSignedIn: (session: SessionResult) => void;
}) {
  const ids = useId();
  const [country, setCountry] = useState<CountryCode>('US');
  const countryTouched = useRef(false);
  const [digits, setDigits] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [scope, setScope] = useState<ScopeChoice>(() => scopeChoiceFor(view.settings.scope));
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeKey, setCodeKey] = useState(0);
  const [resendAt, setResendAt] = useState(0);
  const [busy, setBusy] = useState<'' | 'send' | 'verify'>('');
  const [error, setError] = useState<SignInError | null>(null);
  const [notice, setNotice] = useState('');
  const phoneRef = useRef<HTMLInputElement>(null);
  const now = useNow(step === 'code' ? 1000 : 0);
  const countryInfo = findCountry(country);

  useEffect(() => {
    let live = true;
    signet
      .defaultCountry({})
      .then(({ country: c }) => {
        const found = findCountry(c);
        if (live && found && !countryTouched.current) setCountry(found.code);
      })
      .catch(() => undefined); // no default: keep US
    return () => {
      live = false;
    };
    // Once, at mount: a later choice of the user wins.
  }, []);

  const chooseCountry = (c: CountryCode) => {
    countryTouched.current = true;
    setCountry(c);
    setFieldError(undefined);
  };

  async function send() {
    const parsed = parsePhoneNumberFromString(digits, country);
    if (!parsed || !parsed.isValid()) {
      setFieldError(
        digits
          ? `This is not a valid phone number for ${countryInfo?.name ?? country}.`
          : 'Enter your phone number.',
      );
      phoneRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    setBusy('send');
    setError(null);
    setNotice('');
    try {
      const r = await signet.startSms({ phone: parsed.number });
      setPhone(r.phone);
      setStep('code');
      setCode('');
      setCodeKey((k) => k + 1);
      setResendAt(Date.now() + RESEND_SECONDS * 1000);
      setNotice(`Code sent to ${parsed.formatInternational()}.`);
    } catch (err) {
      const e = asSignInError(err);
      if (e.code === 'cancelled') setNotice('Cancelled.');
      else setError(e);
    } finally {
      setBusy('');
    }
  }

  async function verify(value: string) {
    if (busy || value.length !== OTP_CODE_LENGTH) return;
    setBusy('verify');
    setError(null);
    setNotice('');
    try {
      const session = await signet.signInWithSms({ phone, code: value, scope });
      onSignedIn(session);
    } catch (err) {
      const e = asSignInError(err);
      if (e.code === 'cancelled') setNotice('Cancelled.');
      else setError(e);
      setCode('');
      setCodeKey((k) => k + 1);
    } finally {
      setBusy('');
    }
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (step === 'phone') void send();
    else void verify(code);
  }

  const waitSeconds = Math.max(0, Math.ceil((resendAt - now) / 1000));
  const shownPhone = parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;

  const progress = (
    <div className="progress-row" aria-live="polite">
      {busy ? (
        <>
          <span className="spinner" aria-hidden="true" />
          <span role="status">{busy === 'send' ? 'Sending the code…' : 'Signing in…'}</span>
          <button type="button" className="secondary" onClick={() => void signet.cancel({})}>
            Cancel
          </button>
        </>
      ) : (
        notice && <span role="status">{notice}</span>
      )}
    </div>
  );

  if (step === 'code')
    return (
      <form
        className="form"
        onSubmit={onSubmit}
        aria-busy={Boolean(busy)}
        aria-label="Enter the SMS code"
      >
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        <p id={`${ids}-sent`}>
          We sent a {OTP_CODE_LENGTH}-digit code to <strong>{shownPhone}</strong>.
        </p>
        <CodeInput
          key={codeKey}
          legend="Code from the text message"
          value={code}
          onChange={setCode}
          onComplete={(c) => void verify(c)}
          disabled={Boolean(busy)}
          autoFocus
          describedBy={`${ids}-sent`}
        />
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={Boolean(busy) || code.length !== OTP_CODE_LENGTH}
          >
            Sign in
          </button>
          <button
            type="button"
            className="secondary"
            disabled={Boolean(busy) || waitSeconds > 0}
            onClick={() => void send()}
          >
            {waitSeconds > 0 ? `Resend code in ${waitSeconds} s` : 'Resend code'}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={Boolean(busy)}
            onClick={() => {
              setStep('phone');
              setError(null);
              setNotice('');
              setTimeout(() => phoneRef.current?.focus());
            }}
          >
            Change number
          </button>
        </div>
        {progress}
      </form>
    );

  return (
    <form
      className="form"
      onSubmit={onSubmit}
      aria-busy={Boolean(busy)}
      aria-label="Sign in with a text message"
      noValidate
    >
      {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <fieldset className="plain" disabled={Boolean(busy)}>
        <CountryPicker value={country} onChange={chooseCountry} />
        <PhoneInput
          country={country}
          callingCode={countryInfo?.callingCode ?? ''}
          digits={digits}
          onChange={(d) => {
            setDigits(d);
            setFieldError(undefined);
          }}
          onCountry={chooseCountry}
          error={fieldError}
          inputRef={phoneRef}
        />
        <ScopePicker value={scope} onChange={setScope} device={view.settings.device} />
        <div className="actions">
          <button type="submit" className="primary">
            Send code
          </button>
        </div>
      </fieldset>
      {progress}
    </form>
  );
}

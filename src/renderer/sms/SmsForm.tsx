import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import type { ScopeChoice } from '../../shared/ipc';
import type { SignInFormProps } from '../signin/form-props';
import { signet } from '../api';
import { CodeStep } from '../components/CodeStep';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { useNow } from '../hooks/use-now';
import { ScopePicker, scopeChoiceFor } from '../signin/ScopePicker';
import { CountryPicker } from './CountryPicker';
import { findCountry } from './countries';
import { PhoneInput } from './PhoneInput';

const RESEND_SECONDS = 30;

/** SMS sign-in: phone number → Send code → 6-digit code → signed in. */
export default function SmsForm({ view, onSignedIn, prefill }: SignInFormProps) {
  const ids = useId();
  // "Continue as…" with a number (E.164): its country and national digits, ready to send.
  const [initial] = useState(() =>
    prefill ? parsePhoneNumberFromString(prefill.username) : undefined,
  );
  const initialCountry = initial?.country ?? initial?.getPossibleCountries()[0];
  const [country, setCountry] = useState<CountryCode>(initialCountry ?? 'US');
  const countryTouched = useRef(initialCountry !== undefined);
  const [digits, setDigits] = useState(() => initial?.formatNational().replace(/\D/g, '') ?? '');
  const [fieldError, setFieldError] = useState<string>();
  const [scope, setScope] = useState<ScopeChoice>(() => scopeChoiceFor(view.settings.scope));
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeKey, setCodeKey] = useState(0);
  const [resendAt, setResendAt] = useState(0);
  const call = useCancellableCall();
  const { busy, setError, setNotice } = call;
  const phoneRef = useRef<HTMLInputElement>(null);
  const now = useNow(step === 'code' ? 1000 : 0);
  const countryInfo = findCountry(country);

  useEffect(() => {
    if (initial) phoneRef.current?.focus();
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
  }, [initial]);

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
    const r = await call.run('Sending the code…', () => signet.startSms({ phone: parsed.number }), {
      cancelled: 'Cancelled.',
    });
    if (!r) return;
    setPhone(r.phone);
    setStep('code');
    setCode('');
    setCodeKey((k) => k + 1);
    setResendAt(Date.now() + RESEND_SECONDS * 1000);
    setNotice(`Code sent to ${parsed.formatInternational()}.`);
  }

  async function verify(value: string) {
    if (busy || value.length !== OTP_CODE_LENGTH) return;
    const session = await call.run(
      'Signing in…',
      () => signet.signInWithSms({ phone, code: value, scope }),
      { cancelled: 'Cancelled.' },
    );
    if (session) return onSignedIn(session);
    setCode('');
    setCodeKey((k) => k + 1);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (step === 'phone') void send();
    else void verify(code);
  }

  const waitSeconds = Math.max(0, Math.ceil((resendAt - now) / 1000));
  const shownPhone = parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;

  if (step === 'code')
    return (
      <CallForm call={call} onSubmit={onSubmit} label="Enter the SMS code" fieldset={false}>
        <p id={`${ids}-sent`}>
          We sent a {OTP_CODE_LENGTH}-digit code to <strong>{shownPhone}</strong>.
        </p>
        <CodeStep
          inputKey={codeKey}
          legend="Code from the text message"
          value={code}
          onChange={setCode}
          onComplete={(c) => void verify(c)}
          busy={busy}
          describedBy={`${ids}-sent`}
          submit="Sign in"
        >
          <button
            type="button"
            className="secondary"
            disabled={busy || waitSeconds > 0}
            onClick={() => void send()}
          >
            {waitSeconds > 0 ? `Resend code in ${waitSeconds} s` : 'Resend code'}
          </button>
          <button
            type="button"
            className="link-button"
            disabled={busy}
            onClick={() => {
              setStep('phone');
              setError(null);
              setNotice('');
              setTimeout(() => phoneRef.current?.focus());
            }}
          >
            Change number
          </button>
        </CodeStep>
      </CallForm>
    );

  return (
    <CallForm
      submit="Send code"
      call={call}
      onSubmit={onSubmit}
      label="Sign in with a text message"
      noValidate
    >
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
    </CallForm>
  );
}

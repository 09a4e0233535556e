import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { OTP_CODE_LENGTH } from '../../shared/auth0-protocol';
import type { SignInFormProps } from '../signin/form-props';
import { signet } from '../api';
import { CodeStep } from '../components/CodeStep';
import { CallForm } from '../components/CallForm';
import { useCancellableCall } from '../hooks/use-cancellable-call';
import { useNow } from '../hooks/use-now';
import { useScopeChoice } from '../signin/ScopePicker';
import { useT, type MessageKey } from '../i18n';
import { useFormat } from '../i18n/format';
import { rich } from '../i18n/rich';
import { CountryPicker } from './CountryPicker';
import { findCountry, knownCountry } from './countries';
import { PhoneInput } from './PhoneInput';

const RESEND_SECONDS = 30;

/** SMS sign-in: phone number → Send code → 6-digit code → signed in. */
export default function SmsForm({ view, onSignedIn, prefill }: SignInFormProps) {
  const t = useT();
  const format = useFormat();
  const ids = useId();
  // "Continue as…" with a number (E.164): its country and national digits, ready to send.
  const [initial] = useState(() =>
    prefill ? parsePhoneNumberFromString(prefill.username) : undefined,
  );
  const initialCountry = initial?.country ?? initial?.getPossibleCountries()[0];
  const [country, setCountry] = useState<CountryCode>(initialCountry ?? 'US');
  const countryTouched = useRef(initialCountry !== undefined);
  const [digits, setDigits] = useState(() => initial?.formatNational().replace(/\D/g, '') ?? '');
  // Which field error shows (a key: it follows a language switch).
  const [fieldError, setFieldError] = useState<MessageKey>();
  const { scope, keep, advanced } = useScopeChoice(view);
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [codeKey, setCodeKey] = useState(0);
  const [resendAt, setResendAt] = useState(0);
  const call = useCancellableCall();
  const { busy, setError, setNotice } = call;
  const phoneRef = useRef<HTMLInputElement>(null);
  const now = useNow(step === 'code' ? 1000 : 0);
  const countryInfo = findCountry(country, format.region);

  useEffect(() => {
    if (initial) phoneRef.current?.focus();
    let live = true;
    signet
      .defaultCountry({})
      .then(({ country: c }) => {
        const found = knownCountry(c);
        if (live && found && !countryTouched.current) setCountry(found);
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
      setFieldError(digits ? 'signin.sms.invalidNumber' : 'signin.sms.noNumber');
      phoneRef.current?.focus();
      return;
    }
    setFieldError(undefined);
    const r = await call.run(
      t('signin.sms.sending'),
      () => signet.startSms({ phone: parsed.number }),
      { cancelled: t('signin.sms.cancelled') },
    );
    if (!r) return;
    setPhone(r.phone);
    setStep('code');
    setCode('');
    setCodeKey((k) => k + 1);
    setResendAt(Date.now() + RESEND_SECONDS * 1000);
    setNotice(t('signin.sms.sent', { phone: `\u2066${parsed.formatInternational()}\u2069` }));
  }

  async function verify(value: string) {
    if (busy || value.length !== OTP_CODE_LENGTH) return;
    const session = await call.run(
      t('signin.signingIn'),
      () => signet.signInWithSms({ phone, code: value, scope }),
      { cancelled: t('signin.sms.cancelled') },
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
      <CallForm
        call={call}
        onSubmit={onSubmit}
        label={t('signin.sms.codeFormLabel')}
        fieldset={false}
      >
        <p id={`${ids}-sent`}>
          {rich(
            t,
            'signin.sms.codeSent',
            {
              phone: (
                <strong className="phone" dir="ltr" translate="no">
                  {shownPhone}
                </strong>
              ),
            },
            { digits: OTP_CODE_LENGTH },
          )}
        </p>
        <CodeStep
          inputKey={codeKey}
          legend={t('signin.sms.codeLegend')}
          value={code}
          onChange={setCode}
          onComplete={(c) => void verify(c)}
          busy={busy}
          describedBy={`${ids}-sent`}
          submit={t('signin.verify')}
        >
          <button
            type="button"
            className="secondary"
            disabled={busy || waitSeconds > 0}
            onClick={() => void send()}
          >
            {waitSeconds > 0
              ? t('signin.sms.resendIn', { seconds: waitSeconds })
              : t('signin.sms.resend')}
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
            {t('signin.sms.changeNumber')}
          </button>
        </CodeStep>
      </CallForm>
    );

  return (
    <CallForm
      submit={t('signin.sms.send')}
      call={call}
      onSubmit={onSubmit}
      label={t('signin.sms.formLabel')}
      below={advanced}
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
        error={fieldError && t(fieldError, { country: countryInfo?.name ?? country })}
        inputRef={phoneRef}
      />
      {keep}
    </CallForm>
  );
}

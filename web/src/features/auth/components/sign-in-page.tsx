import { useState, type FormEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { saveSession } from '../../../lib/auth-storage';
import { errorMessage } from '../../../lib/errors';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { LoginDocument } from '../api/login';

const DEMO_PASSWORD = 'pulze-demo';
/** The demo accounts hint; hide it in a real deployment with VITE_HIDE_DEMO_ACCOUNTS=1. */
const SHOW_DEMO_ACCOUNTS = import.meta.env.VITE_HIDE_DEMO_ACCOUNTS !== '1';
const DEMO_ACCOUNTS = [
  { email: 'owner@acme.test', hint: 'Acme AI owner (X Suite)' },
  { email: 'admin@acme.test', hint: 'Acme AI admin' },
  { email: 'dev@acme.test', hint: 'Editor in Production, viewer in Research' },
  { email: 'viewer@acme.test', hint: 'Viewer in Production' },
  { email: 'owner@free.test', hint: 'Free plan' },
  { email: 'owner@one.test', hint: 'Pulze One plan' },
  { email: 'owner@lapsed.test', hint: 'X Suite, canceled' },
];

export function SignInPage() {
  useDocumentTitle('Sign in');
  const navigate = useNavigate();
  const location = useLocation();
  const [params] = useSearchParams();
  const expired = params.get('expired') === '1';
  const from = (location.state as { from?: string } | null)?.from;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [login, { loading }] = useMutation(LoginDocument);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    if (!email.trim() || !password) {
      setFormError('Enter your email and password.');
      return;
    }
    try {
      const result = await login({ variables: { email: email.trim(), password } });
      const payload = result.data?.login;
      if (!payload) throw new Error('No session returned');
      // The session token arrived as an HttpOnly cookie; only its expiry is kept here.
      saveSession({ expiresAt: payload.expiresAt });
      navigate(from && from.startsWith('/') && !from.startsWith('/sign-in') ? from : '/', { replace: true });
    } catch (error) {
      setFormError(errorMessage(error, 'signIn'));
    }
  }

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width={32} height={32} />
          <span>Pulze</span>
        </div>
        <h1>Sign in to Pulze</h1>
        <p className="muted">Manage the API keys of your organization.</p>
        {expired ? (
          <p className="banner banner-info" role="status">
            Your session has expired. Sign in again to continue.
          </p>
        ) : null}
        <form onSubmit={onSubmit} noValidate className="form">
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          </div>
          {formError ? (
            <p className="form-error" role="alert">
              {formError}
            </p>
          ) : null}
          <button type="submit" className="btn btn-primary btn-block" disabled={loading}>
            {loading ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        {SHOW_DEMO_ACCOUNTS ? (
          <section className="demo-accounts" aria-labelledby="demo-accounts-title">
            <h2 id="demo-accounts-title">Demo accounts</h2>
            <p className="muted">
              Password for all: <code>{DEMO_PASSWORD}</code>. Choose one to fill the form.
            </p>
            <ul>
              {DEMO_ACCOUNTS.map((account) => (
                <li key={account.email}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => {
                      setEmail(account.email);
                      setPassword(DEMO_PASSWORD);
                    }}
                  >
                    {account.email}
                  </button>
                  <span className="muted"> — {account.hint}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </main>
  );
}

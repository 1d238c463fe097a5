import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, session, SIGNED_OUT, type Schemas } from './api';
import { AccountPage } from './pages/account';
import { AuditPage } from './pages/audit';
import { FundPage } from './pages/fund';
import { SimulatePage } from './pages/simulate';
import { Failure, Field } from './ui';

export const FUND = 'usjp';

const PAGES = {
  fund: { title: 'Fund', roles: ['manager', 'auditor', 'admin'] },
  simulate: { title: 'Simulate a commitment', roles: ['manager', 'auditor', 'admin', 'operator', 'lp'] },
  account: { title: 'My account', roles: ['lp', 'manager', 'auditor', 'admin'] },
  audit: { title: 'Audit', roles: ['manager', 'auditor', 'admin'] },
} as const;
type Page = keyof typeof PAGES;

const pageOf = (hash: string): Page => {
  const name = hash.replace(/^#\/?/, '').split('?')[0];
  return name in PAGES ? (name as Page) : 'fund';
};

function SignIn(props: { onSignedIn: (me: Schemas['Principal']) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (event: Event) => {
    event.preventDefault();
    session.key = key.trim();
    try {
      props.onSignedIn(await call(session.client().GET('/me')));
    } catch (e) {
      // A refused key is forgotten; one the API could not check (it did not answer) is kept.
      if (!(e instanceof ApiError) || e.status !== 0) session.key = undefined;
      setError(e);
    }
  };
  return (
    <main id="main" class="sign-in">
      <h1>fundsim</h1>
      <p>The U.S.-Japan fund: its books, a retail investor's commitment and account, and the audit of its allocations.</p>
      <form onSubmit={submit} aria-label="Sign in">
        <Field id="key" label="Your API key">
          <input id="key" name="key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
        </Field>
        <p class="hint">
          The demo's keys are in <code>data/fundsim.db.demo-keys.json</code> beside the store (<code>npm start</code> writes them).
        </p>
        <button type="submit">Sign in</button>
        <Failure error={error} />
      </form>
    </main>
  );
}

function App() {
  const [me, setMe] = useState<Schemas['Principal'] | undefined>();
  const [checking, setChecking] = useState(Boolean(session.key));
  const [page, setPage] = useState<Page>(pageOf(location.hash));
  useEffect(() => {
    const onHash = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', onHash);
    const onSignedOut = () => {
      session.key = undefined;
      setMe(undefined);
    };
    addEventListener(SIGNED_OUT, onSignedOut);
    if (session.key) {
      call(session.client().GET('/me'))
        .then(setMe, () => (session.key = undefined))
        .finally(() => setChecking(false));
    }
    return () => {
      removeEventListener('hashchange', onHash);
      removeEventListener(SIGNED_OUT, onSignedOut);
    };
  }, []);
  if (checking) return <p class="loading">Signing in…</p>;
  if (!me) return <SignIn onSignedIn={setMe} />;
  const allowed = (Object.keys(PAGES) as Page[]).filter((p) => (PAGES[p].roles as readonly string[]).includes(me.role));
  const current = allowed.includes(page) ? page : allowed[0];
  return (
    <>
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          // Not a page change (the hash names pages): focus the page itself.
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the page
      </a>
      <header>
        <span class="brand">fundsim</span>
        <nav aria-label="Pages">
          {allowed.map((p) => (
            <a href={`#/${p}`} aria-current={p === current ? 'page' : undefined}>
              {PAGES[p].title}
            </a>
          ))}
        </nav>
        <span class="who" data-testid="who">
          {me.role} {me.subject}
        </span>
        <button
          type="button"
          class="link"
          onClick={() => {
            session.key = undefined;
            setMe(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {current === 'fund' && <FundPage fund={FUND} />}
        {current === 'simulate' && <SimulatePage fund={FUND} />}
        {current === 'account' && <AccountPage fund={FUND} me={me} />}
        {current === 'audit' && <AuditPage fund={FUND} />}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);

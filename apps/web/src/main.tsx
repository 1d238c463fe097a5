import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, call, session, SIGNED_OUT, type Schemas } from './api';
import { AccountPage } from './pages/account';
import { ApprovalsPage } from './pages/approvals';
import { AuditPage } from './pages/audit';
import { FundPage } from './pages/fund';
import { FuturePage } from './pages/future';
import { GovernmentsPage } from './pages/governments';
import { LedgerPage } from './pages/ledger';
import { SimulatePage } from './pages/simulate';
import { UploadPage } from './pages/upload';
import { Failure, Field, Loading } from './ui';

type Fund = Schemas['FundSummaries'][number];
type Principal = Schemas['Principal'];

const READERS = ['manager', 'auditor', 'admin'] as const;
const PAGES = {
  fund: { title: 'Fund', roles: READERS },
  approvals: { title: 'Approvals', roles: READERS },
  governments: { title: 'Waterfall and revenue', roles: READERS },
  future: { title: "The fund's future", roles: READERS },
  simulate: { title: 'Simulate a commitment', roles: ['manager', 'auditor', 'admin', 'operator', 'lp'] },
  account: { title: 'My account', roles: ['lp', 'manager', 'auditor', 'admin'] },
  ledger: { title: 'Notices and ledger', roles: ['lp', 'manager', 'auditor', 'admin'] },
  upload: { title: 'Upload commitments', roles: ['operator'] },
  audit: { title: 'Audit', roles: READERS },
} as const;
type Page = keyof typeof PAGES;

const FUND_KEY = 'fundsim.fund';

/** One page of the chosen fund (each page keyed by the fund: choosing another starts it afresh). */
function PageOf(props: { page: Page; fund: Fund; me: Principal }) {
  const { fund, me } = props;
  switch (props.page) {
    case 'fund':
      return <FundPage fund={fund} />;
    case 'approvals':
      return <ApprovalsPage fund={fund} me={me} />;
    case 'governments':
      return <GovernmentsPage fund={fund} />;
    case 'future':
      return <FuturePage fund={fund} />;
    case 'simulate':
      return <SimulatePage fund={fund} />;
    case 'account':
      return <AccountPage fund={fund} me={me} />;
    case 'ledger':
      return <LedgerPage fund={fund} me={me} />;
    case 'upload':
      return <UploadPage fund={fund} />;
    case 'audit':
      return <AuditPage fund={fund} />;
  }
}

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
      <p>A fund's books, its managers' approvals, a retail investor's commitment and account, and the audit of its allocations.</p>
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
  const [funds, setFunds] = useState<Fund[]>();
  const [fundId, setFundId] = useState<string | undefined>(sessionStorage.getItem(FUND_KEY) ?? undefined);
  const [fundsError, setFundsError] = useState<unknown>();
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
  // The funds this key may see, each with its life in the books: every page's dates come from it.
  useEffect(() => {
    if (!me) return;
    setFunds(undefined);
    setFundsError(undefined);
    call(session.client().GET('/funds')).then(setFunds, setFundsError);
  }, [me]);
  if (checking) return <p class="loading">Signing in…</p>;
  if (!me) return <SignIn onSignedIn={setMe} />;
  const allowed = (Object.keys(PAGES) as Page[]).filter((p) => (PAGES[p].roles as readonly string[]).includes(me.role));
  const current = allowed.includes(page) ? page : allowed[0];
  const fund = funds?.find((f) => f.fundId === fundId) ?? funds?.[0];
  const choose = (id: string) => {
    sessionStorage.setItem(FUND_KEY, id);
    setFundId(id);
  };
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
        {funds && funds.length > 0 && (
          <div class="fund-picker">
            <label for="fund-picker">Fund</label>
            <select id="fund-picker" value={fund?.fundId} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
              {funds.map((f) => (
                <option value={f.fundId}>
                  {f.name} ({f.fundId})
                </option>
              ))}
            </select>
          </div>
        )}
        <span class="who" data-testid="who">
          {me.role} {me.subject}
        </span>
        <button
          type="button"
          class="link"
          onClick={() => {
            session.key = undefined;
            sessionStorage.removeItem(FUND_KEY);
            setMe(undefined);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Failure error={fundsError} />
        {!funds && !fundsError && <Loading what="the funds" />}
        {funds && !fund && <p data-testid="no-fund">This key sees no fund yet: load one (a scenario file, or the demo) and sign in again.</p>}
        {fund && (
          <>
            <p class="fund-life" data-testid="fund-life">
              {fund.name}: books from {fund.firstDate} to {fund.latestDate}
            </p>
            <PageOf key={`${fund.fundId} ${current}`} page={current} fund={fund} me={me} />
          </>
        )}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);

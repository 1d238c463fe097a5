import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CheckedBlock, docBlocks, expectedStdout, withOutputs } from './testing/doc-blocks';

/**
 * Every command block of README.md and docs/*.md, run as a reader would and compared byte for
 * byte with the output the page shows (the convention: docs/testing.md and ./testing/doc-blocks.ts).
 *
 * Each page starts from what the README's set-up leaves: `npm start` in an empty directory (the
 * demo fund and the demo's API keys in ./data/fundsim.db, the API stopped again), with
 * ./scenarios beside it. Its blocks then run in document order, `npx fundsim` as
 * `node bin/fundsim.js` (the built CLI), through bash (pipes and all), in that directory: a block
 * that writes changes what the later blocks of its own page print, never another page's.
 *
 * UPDATE_DOCS=1 (npm run docs:outputs) writes what each command printed into its page instead of
 * failing, for when the product's output changes on purpose; read the diff before committing it.
 */
const root = join(__dirname, '..', '..', '..');
const update = process.env.UPDATE_DOCS === '1';
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** The environment a reader's shell would have, without a store or port of this machine's own. */
function readerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('FUNDSIM_') || name === 'PORT' || name === 'HOST') delete env[name];
  return env;
}

const work = mkdtempSync(join(tmpdir(), 'fundsim-docs-'));
const template = join(work, 'template');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `npm start` in an empty directory, stopped once it listens: the store the README's reader has. */
async function startedOnce(dir: string): Promise<void> {
  cpSync(join(root, 'scenarios'), join(dir, 'scenarios'), { recursive: true });
  const api = spawn(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: dir,
    env: { ...readerEnv(), PORT: '0', FUNDSIM_REQUEST_LOG: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  api.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => api.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    api.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('API docs (OpenAPI) at')) resolve();
    });
    void exited.then((code) => reject(new Error(`the API exited (${code}) before it listened:\n${out}${err}`)));
  });
  api.kill('SIGTERM');
  await exited;
}

/** A page's checked blocks, run in document order on its own copy of the started store. */
async function runPage(blocks: readonly CheckedBlock[]): Promise<Map<CheckedBlock, string>> {
  const dir = mkdtempSync(join(work, 'page-'));
  cpSync(template, dir, { recursive: true });
  const printed = new Map<CheckedBlock, string>();
  for (const block of blocks) {
    const command = block.command.replace(/\bnpx fundsim\b/g, `node ${JSON.stringify(join(root, 'bin', 'fundsim.js'))}`);
    const shell = spawn('bash', ['-c', command], { cwd: dir, env: readerEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    shell.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve) => shell.on('close', resolve));
    printed.set(block, Buffer.concat(chunks).toString('utf8'));
  }
  return printed;
}

const parsed = pages.map((page) => {
  const markdown = readFileSync(join(root, page), 'utf8');
  const blocks = docBlocks(markdown);
  return { page, markdown, blocks, checked: blocks.filter((b): b is CheckedBlock => b.kind === 'checked') };
});
const printed = new Map<CheckedBlock, string>();

beforeAll(async () => {
  await startedOnce(template);
  // Pages are independent: two at a time (each page's blocks in order), which is what a 2-core
  // machine gains from.
  const queue = parsed.filter((p) => p.checked.length > 0);
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) for (const [block, out] of await runPage(next.checked)) printed.set(block, out);
  };
  await Promise.all([worker(), worker()]);
}, 240_000);

describe.each(parsed)('$page', ({ page, markdown, blocks, checked }) => {
  afterAll(() => {
    if (!update) return;
    const changed = checked.filter((block) => printed.has(block) && printed.get(block) !== expectedStdout(block));
    if (changed.length === 0) return;
    writeFileSync(join(root, page), withOutputs(markdown, new Map(changed.map((block) => [block, printed.get(block) ?? '']))));
    process.stdout.write(`${page}: rewrote ${changed.length} output block(s), at lines ${changed.map((b) => b.line).join(', ')}\n`);
  });

  const illustrative = blocks.filter((b) => b.kind === 'illustrative').length;
  it(`marks every block it does not run as illustrative, with a reason (${checked.length} checked, ${illustrative} illustrative)`, () => {
    expect(blocks.flatMap((b) => (b.kind === 'malformed' ? [`${page}:${b.line}: ${b.problem}`] : []))).toEqual([]);
  });

  const cases = checked.map((block) => [`line ${block.line}: ${block.command}`, block] as const);
  if (cases.length === 0) return;
  it.each(cases)('%s', (_name, block) => {
    if (update) return;
    expect(printed.get(block)).toBe(expectedStdout(block));
  });
});

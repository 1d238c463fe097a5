import { type CheckedBlock, docBlocks, expectedStdout, withOutputs } from './doc-blocks';

const page = [
  '# A page',
  '',
  '```sh',
  'npx fundsim audit verify | cut -d, -f1',
  '```',
  '```',
  'OK: 4231 events',
  '```',
  '',
  '<!-- illustrative: needs the API running -->',
  '',
  '```sh',
  'curl -s localhost:3000/health',
  '```',
  '```json',
  '{"status":"ok"}',
  '```',
  '',
  '```ts',
  'const notRead = true;',
  '```',
  '',
  '```sh',
  'npx fundsim',
  '```',
  '```',
  '```',
  '',
].join('\n');

describe('the command blocks of a page', () => {
  it('reads a command with its output as checked, a marked block as illustrative, and skips other blocks', () => {
    const blocks = docBlocks(page);
    expect(blocks.map((b) => b.kind)).toEqual(['checked', 'illustrative', 'checked']);
    const [verify, curl, bare] = blocks as [CheckedBlock, { reason: string }, CheckedBlock];
    expect(verify).toMatchObject({ line: 3, command: 'npx fundsim audit verify | cut -d, -f1', output: 'OK: 4231 events' });
    expect(expectedStdout(verify)).toBe('OK: 4231 events\n');
    expect(curl.reason).toBe('needs the API running');
    expect(bare.command).toBe('npx fundsim');
    expect(expectedStdout(bare)).toBe('');
  });

  it.each([
    ['a block of two commands', '```sh\nnpx fundsim events\nnpx fundsim verify\n```\n```\n```', /exactly one `npx fundsim/],
    ['another program', '```sh\nnpm test\n```', /exactly one `npx fundsim/],
    ['a command without its output', '```sh\nnpx fundsim events\n```\n\nText.', /followed at once by a plain/],
    ['an illustrative mark without a reason', '<!-- illustrative -->\n```sh\nnpm start\n```', /must give its reason/],
    ['a block never closed', '```sh\nnpx fundsim events', /never closed/],
  ])('names %s as a mistake', (_name, markdown, problem) => {
    const [block] = docBlocks(markdown);
    expect(block.kind).toBe('malformed');
    expect(block.kind === 'malformed' && block.problem).toMatch(problem);
  });

  it('rewrites the outputs it is given and leaves the rest of the page as it was', () => {
    const [verify, , bare] = docBlocks(page) as CheckedBlock[];
    const rewritten = withOutputs(
      page,
      new Map([
        [verify, 'OK: 4239 events\n'],
        [bare, 'a guide\nin two lines\n'],
      ]),
    );
    expect(rewritten).toBe(
      page.replace('OK: 4231 events', 'OK: 4239 events').replace('npx fundsim\n```\n```\n```', 'npx fundsim\n```\n```\na guide\nin two lines\n```'),
    );
    expect(() => withOutputs(page, new Map([[verify, 'no newline']]))).toThrow(/no final newline/);
  });
});

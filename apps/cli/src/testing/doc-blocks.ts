/**
 * The command blocks of a Markdown page (README.md, docs/*.md), as docs.e2e-spec.ts checks them.
 *
 * The convention (docs/testing.md): a ```sh block holding one `npx fundsim ...` command, followed
 * at once by a plain ``` block, is checked: the command's stdout must be that block, byte for
 * byte. A ```sh block that is not to be run (a server, curl against the API, a benchmark, an
 * output with timings, random ids or paths) has `<!-- illustrative: reason -->` as the last
 * non-blank line before it, and the block after it, if any, is its illustrative output. Any
 * other ```sh block is a mistake the test names.
 */

/** A command whose output the page shows: `output` is the lines between its output fences. */
export interface CheckedBlock {
  readonly kind: 'checked';
  /** 1-based line of the ```sh fence. */
  readonly line: number;
  readonly command: string;
  readonly output: string;
  /** 0-based indexes of the output block's first line and of its closing fence. */
  readonly outputStart: number;
  readonly outputEnd: number;
}

/** A block shown but not run, with the reason the page gives. */
export interface IllustrativeBlock {
  readonly kind: 'illustrative';
  readonly line: number;
  readonly reason: string;
}

/** A ```sh block that is neither checked nor marked illustrative (with a reason). */
export interface MalformedBlock {
  readonly kind: 'malformed';
  readonly line: number;
  readonly problem: string;
}

export type DocBlock = CheckedBlock | IllustrativeBlock | MalformedBlock;

const ILLUSTRATIVE = /^<!--\s*illustrative(?::\s*(.*?))?\s*-->$/;
const FENCE = /^```/;

/** Every ```sh block of a page, in document order. */
export function docBlocks(markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  /** The index of the fence closing the block opened at `open`, or -1. */
  const closing = (open: number): number => {
    for (let i = open + 1; i < lines.length; i++) if (lines[i] === '```') return i;
    return -1;
  };
  let i = 0;
  while (i < lines.length) {
    if (!FENCE.test(lines[i])) {
      i++;
      continue;
    }
    const end = closing(i);
    if (end < 0) {
      if (lines[i] === '```sh') blocks.push({ kind: 'malformed', line: i + 1, problem: 'the block is never closed' });
      break;
    }
    if (lines[i] !== '```sh') {
      i = end + 1;
      continue;
    }
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const mark = before >= 0 ? ILLUSTRATIVE.exec(lines[before].trim()) : null;
    const hasOutput = end + 1 < lines.length && lines[end + 1] === '```';
    const outputEnd = hasOutput ? closing(end + 1) : -1;
    const next = hasOutput && outputEnd >= 0 ? outputEnd + 1 : end + 1;
    const commands = lines.slice(i + 1, end);
    if (mark) {
      const reason = (mark[1] ?? '').trim();
      blocks.push(
        reason === ''
          ? { kind: 'malformed', line: i + 1, problem: 'an illustrative block must give its reason: <!-- illustrative: reason -->' }
          : { kind: 'illustrative', line: i + 1, reason },
      );
    } else if (commands.length !== 1 || !/^npx fundsim( |$)/.test(commands[0])) {
      blocks.push({
        kind: 'malformed',
        line: i + 1,
        problem: 'a checked block holds exactly one `npx fundsim ...` command; mark any other <!-- illustrative: reason -->',
      });
    } else if (!hasOutput || outputEnd < 0) {
      blocks.push({ kind: 'malformed', line: i + 1, problem: 'a checked command is followed at once by a plain ``` block with its output' });
    } else {
      blocks.push({
        kind: 'checked',
        line: i + 1,
        command: commands[0],
        output: lines.slice(end + 2, outputEnd).join('\n'),
        outputStart: end + 2,
        outputEnd,
      });
    }
    i = next;
  }
  return blocks;
}

/** The stdout a checked block shows: its lines, each ended by a newline (none if it is empty). */
export const expectedStdout = (block: CheckedBlock): string => (block.outputStart === block.outputEnd ? '' : `${block.output}\n`);

/**
 * The page with each given block's output replaced by what its command printed. A stdout that
 * does not end in a newline cannot be shown as a block: that is an error, not a rewrite.
 */
export function withOutputs(markdown: string, outputs: ReadonlyMap<CheckedBlock, string>): string {
  const lines = markdown.split('\n');
  const blocks = [...outputs.keys()].sort((a, b) => b.outputStart - a.outputStart);
  for (const block of blocks) {
    const stdout = outputs.get(block) ?? '';
    if (stdout !== '' && !stdout.endsWith('\n')) throw new Error(`line ${block.line}: \`${block.command}\` printed no final newline`);
    const shown = stdout === '' ? [] : stdout.slice(0, -1).split('\n');
    lines.splice(block.outputStart, block.outputEnd - block.outputStart, ...shown);
  }
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessTableMarkdown } from './access';

describe('the access table in docs/access.md', () => {
  it('is the one in the code', () => {
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'access.md'), 'utf8');
    const table = /<!-- access-table -->\n([\s\S]*?)\n<!-- \/access-table -->/.exec(page)?.[1];
    expect(table).toBe(accessTableMarkdown());
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessTableMarkdown } from './access';

describe('the access table in the README', () => {
  it('is the one in the code', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const table = /<!-- access-table -->\n([\s\S]*?)\n<!-- \/access-table -->/.exec(readme)?.[1];
    expect(table).toBe(accessTableMarkdown());
  });
});

// Lint rules that the compiler does not check (npm run lint, part of npm test): every switch over
// a union handles each member, and the pure libraries read no clock and draw no random numbers
// (time, ids and seeds come in through the command or a parameter: STYLE.md).
import tseslint from 'typescript-eslint';

const PURE = ['libs/domain/src/**/*.ts', 'libs/projections/src/**/*.ts', 'libs/simulation/src/**/*.ts'];
const TESTS = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'libs/api-client/src/openapi.generated.ts', 'apps/web/**', 'scripts/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false }],
    },
  },
  {
    files: PURE,
    ignores: TESTS,
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'The pure libraries take a seed: use the seeded generator passed in.' },
        { object: 'Date', property: 'now', message: 'The pure libraries read no clock: take the date from the command or a parameter.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The pure libraries read no clock: take the date from the command or a parameter.' }],
    },
  },
);

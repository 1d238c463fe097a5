/**
 * Layer rules (npm run lint:layers, part of npm test): the pure libraries stay pure, libraries
 * never reach into the apps, and the apps use a library only through its public index.
 */
const PURE = '^libs/(domain|projections|simulation)/';
module.exports = {
  forbidden: [
    {
      name: 'pure-libs-no-framework-or-io',
      comment: 'domain, projections and simulation are pure: no Nest, no file system or network, no store driver',
      severity: 'error',
      from: { path: PURE },
      to: {
        path: ['(^|/)node_modules/(@nestjs|better-sqlite3|@eventstore|pg)/', '^(@nestjs|better-sqlite3|@eventstore|pg)(/|$)', '^(node:)?(fs|net|http|https|child_process|worker_threads)$'],
      },
    },
    {
      name: 'pure-libs-no-application-or-store',
      comment: 'pure libraries do not import the application or the event store',
      severity: 'error',
      from: { path: PURE, pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/(application|event-store)/' },
    },
    {
      name: 'libs-no-circular',
      comment:
        'a module of a library never imports itself back through others (type-only imports count): a cycle means a shared type or rule sits in the wrong file',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
    {
      name: 'libs-not-apps',
      comment: 'libraries never import an app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-each-other',
      comment: 'an app never imports another app (the CLI starts the API as a process); an end-to-end test may start another app through its testing helpers',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '\\.e2e-spec\\.ts$' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'apps-use-public-index',
      comment: "an app imports a library's index (or its testing helpers, from tests), never its insides",
      severity: 'error',
      from: { path: '^apps/', pathNot: '(\\.(spec|int-spec|e2e-spec)\\.ts|/testing/.*)$' },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '^dist/' },
  },
};

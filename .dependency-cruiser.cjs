// The dependency rules CI checks: domain code imports no framework or infrastructure, libraries
// don't reach into apps, and contexts talk through each other's public index only.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'domain/ (deciders, invariants), libs/indices and libs/cases import no framework, database, broker or HTTP',
      severity: 'error',
      from: { path: '(^apps/[^/]+/src/domain/|^libs/indices/|^libs/cases/)' },
      to: { path: '(node_modules/(@types/)?(@nestjs|pg|pg-[a-z-]+|kafkajs|fastify|@fastify)/|^libs/(platform|event-store|messaging)/)|^(http|https|net)$' },
    },
    {
      name: 'domain-imports-only-contracts',
      comment: 'domain code may use the event catalogue, the pure case rules and index math, and its own folder, nothing else of minyi',
      severity: 'error',
      from: { path: '(^apps/[^/]+/src/domain/|^libs/cases/)', pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { path: '^(apps|libs)/', pathNot: ['^libs/contracts/', '^libs/cases/', '^libs/indices/', '^apps/[^/]+/src/domain/'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/', pathNot: ['^libs/testing/', '\\.(spec|int-spec|e2e-spec)\\.ts$'] },
      to: { path: '^apps/' },
    },
    {
      name: 'contexts-through-their-index',
      comment: 'another context is used through its index.ts (its public face), never its internals',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/src/.+', pathNot: ['^apps/$1/', '^apps/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { pathNot: '\\.(spec|int-spec|e2e-spec)\\.ts$' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.mjs$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};

/**
 * The layers of src/ and the imports each may make (docs/architecture.md, "Layers").
 * `npm run lint:deps` checks them; `npm test` runs it through `npm run lint`.
 *
 * Each layer may import its own folder plus the layers listed for it; npm packages and Node's
 * built-ins are free except where a rule below says otherwise. A new folder under src/ has to be
 * given a rule here before it can import anything from src/ (rule `known-layers-only`).
 */

/** Paths of the shared vocabulary at the bottom. */
const DOMAIN = '^src/domain\\.ts$';
const ERRORS = '^src/errors\\.ts$';
const LOGGER = '^src/logger\\.ts$';
const CONFIG = '^src/config\\.ts$';
const METRICS = '^src/metrics\\.ts$';
/** Words for people (counts with plurals, lists): pure, usable by every layer. */
const WORDS = '^src/words\\.ts$';
/** Yielding to the event loop during long work (pure timing, no state): usable by every layer. */
const YIELD = '^src/yield\\.ts$';

/** A layer may import its own folder and these (besides npm packages and Node built-ins). */
const LAYERS = {
  rules: [DOMAIN, ERRORS, WORDS],
  store: [DOMAIN, ERRORS, YIELD, '^src/generated/'],
  // Import and export are use cases over the pure file codecs in src/transfer.
  services: ['^src/rules/', '^src/store/', '^src/transfer/', '^src/sources/', DOMAIN, ERRORS, LOGGER, WORDS, YIELD],
  // The outbox: its queue, worker, posting, rewrites and escalation steps, talking to Slack through its port only.
  outbox: ['^src/services/', '^src/rules/', '^src/store/', DOMAIN, ERRORS, LOGGER, METRICS, WORDS, YIELD],
  runs: ['^src/outbox/', '^src/services/', '^src/rules/', '^src/chart/', '^src/store/', DOMAIN, ERRORS, LOGGER, METRICS, WORDS, YIELD],
  bot: ['^src/outbox/', '^src/services/', '^src/runs/', '^src/rules/', '^src/chart/', DOMAIN, ERRORS, LOGGER, CONFIG, METRICS, WORDS, YIELD],
  transfer: ['^src/rules/', DOMAIN, ERRORS, WORDS],
  // HTTP clients of the tools and networks connections' state is read from (docs/sources.md).
  sources: [DOMAIN, ERRORS, WORDS],
  // The weekly report's chart: SVG built from the pure report, rasterised in-process.
  chart: ['^src/rules/', DOMAIN, WORDS],
  cli: ['^src/'],
  demo: ['^src/'],
  generated: [],
};

/** Single files at the top of src/ and what they may import from src/. */
const FILES = {
  domain: { path: DOMAIN, allowed: [] },
  errors: { path: ERRORS, allowed: [] },
  logger: { path: LOGGER, allowed: [] },
  words: { path: WORDS, allowed: [] },
  yield: { path: YIELD, allowed: [] },
  // Prometheus metrics: the recorders the run machinery and the bot call, and the registry /metrics serves.
  metrics: { path: METRICS, allowed: [DOMAIN] },
  // The database URL is read with the environment, so config may use the store's URL parser.
  config: { path: CONFIG, allowed: [DOMAIN, ERRORS, '^src/store/database-url\\.ts$'] },
};

const layerRules = Object.entries(LAYERS)
  .filter(([, allowed]) => !allowed.includes('^src/'))
  .map(([layer, allowed]) => ({
    name: `layer-${layer}`,
    comment: `src/${layer} may import only its own folder and: ${allowed.join(', ') || 'nothing else in src'}.`,
    severity: 'error',
    from: { path: `^src/${layer}/` },
    to: { path: '^src/', pathNot: [`^src/${layer}/`, ...allowed] },
  }));

const fileRules = Object.entries(FILES).map(([name, { path, allowed }]) => ({
  name: `layer-${name}`,
  comment: `src/${name}.ts may import only: ${allowed.join(', ') || 'nothing in src'}.`,
  severity: 'error',
  from: { path },
  to: allowed.length > 0 ? { path: '^src/', pathNot: allowed } : { path: '^src/' },
}));

const KNOWN = [...Object.keys(LAYERS).map((layer) => `^src/${layer}/`), ...Object.values(FILES).map((f) => f.path)];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included: the layers form a directed graph.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    ...fileRules,
    {
      name: 'known-layers-only',
      comment: 'A file outside the known layers imports from src/: give its folder a rule in .dependency-cruiser.cjs.',
      severity: 'error',
      from: { path: '^src/', pathNot: KNOWN },
      to: { path: '^src/' },
    },
    {
      name: 'bot-never-store',
      comment: 'src/bot never touches the store, its types included: reads and writes go through src/services, which re-export the types the bot needs.',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'slack-adapter-writes-no-row',
      comment:
        "src/bot/delivery (the outbox's Slack adapter) turns items into messages and calls Slack; rows are the outbox worker's: no import of src/store, types included.",
      severity: 'error',
      from: { path: '^src/bot/delivery/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'services-logger-type-only',
      comment: 'src/services receives its logger through its dependencies; it may import the Logger type only.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: LOGGER, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'prisma-only-in-store',
      comment: 'Only src/store (the repositories) knows about Prisma and the generated client.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/store/', '^src/generated/'] },
      to: { path: ['^src/generated/', '(^|/)node_modules/@prisma/', '(^|/)node_modules/prisma/'] },
    },
    {
      name: 'slack-only-in-bot',
      comment: 'Only src/bot knows about Slack.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/bot/' },
      to: { path: '(^|/)node_modules/@slack/' },
    },
    {
      name: 'no-undeclared-packages',
      comment: 'Every npm package src/ imports is a dependency in package.json, not just present through another one.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-dev-packages-at-runtime',
      comment: 'src/ runs in production, where devDependencies are not installed (type-only imports excepted).',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve to a file or an installed package.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^dist/', '^coverage/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};

// @ts-check
/**
 * ESLint for src/, test/, bench/ and scripts/: typescript-eslint's recommended rules (syntax only:
 * the type-aware set costs three times the time on a small machine and adds mostly `any`-flow
 * noise at the Slack and Prisma edges), plus two house rules for src/ (docs/architecture.md):
 * no module-level mutable state, and one clock that comes in through the dependencies.
 * Formatting is Prettier's job (.prettierrc.json); import layering is dependency-cruiser's
 * (.dependency-cruiser.cjs). `npm run lint` runs all three.
 */
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  process: 'readonly',
  __dirname: 'readonly',
  __filename: 'readonly',
  console: 'readonly',
};

const NO_MODULE_STATE = [
  {
    selector: ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration[kind="let"]',
    message: 'No module-level mutable state: pass caches and state through the dependencies.',
  },
  // A constant lookup table says so in its type: `const KINDS: ReadonlySet<string> = new Set([...])`.
  {
    selector:
      ':matches(Program, Program > ExportNamedDeclaration) > VariableDeclaration > VariableDeclarator:not([id.typeAnnotation.typeAnnotation.typeName.name=/^Readonly(Map|Set)$/]) > NewExpression[callee.name=/^(Map|Set|WeakMap)$/]',
    message: 'No module-level caches: pass them through the dependencies (a constant lookup table is typed ReadonlySet/ReadonlyMap).',
  },
];
const ONE_CLOCK = {
  selector: 'NewExpression[callee.name="Date"][arguments.length=0], CallExpression[callee.object.name="Date"][callee.property.name="now"]',
  message: 'One clock: take `now` from the dependencies (or as an argument in rules).',
};

// src/bot reaches the database through src/services only (docs/architecture.md "Layers"): a store
// handed down in the dependencies is never called from there.
const NO_STORE_IN_BOT = {
  selector: 'MemberExpression[property.name="store"], MemberExpression[property.value="store"], MemberExpression[object.name="store"]',
  message: 'src/bot does not call the store: call a use case in src/services (it owns the transaction, the permission check and the audit).',
};

// A repository touches one entity (docs/architecture.md "Layers"): it constructs no other
// repository. A change that spans several is a use case's transaction (src/services), which takes
// each repository from the store the transaction hands it.
const NO_REPOSITORY_IN_REPOSITORY = {
  selector: 'NewExpression[callee.name=/Repository$/]',
  message: 'A repository constructs no other repository: write the other entity from the use case, in its transaction (store.transaction).',
};

export default tseslint.config(
  { ignores: ['src/generated/**', 'dist/**', 'dist-bench/**', 'coverage/**', 'node_modules/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  eslint.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a binding left unused on purpose (a rest sibling, a required parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    rules: {
      // Comments cite docs/architecture.md and docs/rules.md, never notes that live outside the repository.
      'no-warning-comments': [
        'error',
        { terms: ['product.md', 'style.md', 'slack-and-linkedin-facts', 'shared/seed', 'shared/docs', '../shared', 'seed article'], location: 'anywhere' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**', 'src/demo/**'],
    rules: { 'no-restricted-syntax': ['error', ...NO_MODULE_STATE, ONE_CLOCK] },
  },
  {
    files: ['src/bot/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_MODULE_STATE, ONE_CLOCK, NO_STORE_IN_BOT] },
  },
  {
    // The store stamps write times (updatedAt, createdAt) as Prisma's @default(now()) does: a record
    // of when a row was written, not a rule's clock, so only the module-state rules apply there.
    files: ['src/store/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_MODULE_STATE] },
  },
  {
    files: ['src/store/*-repository.ts'],
    rules: { 'no-restricted-syntax': ['error', ...NO_MODULE_STATE, NO_REPOSITORY_IN_REPOSITORY] },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['**/*.mjs'], languageOptions: { globals: NODE_GLOBALS } },
);

// Lint rules, including the architecture's import boundaries (docs/architecture.md):
// workflows/ imports only @temporalio/workflow, #domain and #contracts;
// libs/domain has no I/O, clock or environment; only libs/config reads process.env.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// The apps speak HTTP, the command line and Temporal; every SQL statement lives in a repository of the
// library that owns the data (libs/*), so a call to a member named query, createQueryBuilder or
// getRepository (TypeORM's ways in) is refused under apps/.
const SQL_HOME =
  'No SQL in apps/: put the statement in a repository of the library that owns the data (libs/*) and call that. / 应用层不写 SQL：请放入拥有该数据的库（libs/*）的仓储中再调用。';
const sqlInApps = [
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(query|createQueryBuilder|getRepository)$/]",
    message: SQL_HOME,
  },
  {
    selector:
      'CallExpression[callee.computed=true][callee.property.value=/^(query|createQueryBuilder|getRepository)$/]',
    message: SQL_HOME,
  },
];

const processEnv = {
  object: 'process',
  property: 'env',
  message: 'Only libs/config reads process.env: take a DubanConfig instead. / 只有 libs/config 可以读取环境变量。',
};

/**
 * Which libraries each library may import (by its #name), one purpose each: a library lower in
 * this list never reaches up, and none imports an app. libs/domain and libs/contracts have their
 * own, stricter rules below. A test (test/architecture/boundaries.spec.ts) proves the rule bites.
 */
const LIBRARY_IMPORTS = {
  config: [],
  logging: ['config'],
  persistence: ['contracts', 'config'],
  calendar: ['domain', 'persistence'],
  'plan-import': ['domain'],
  plans: ['audit', 'domain', 'persistence', 'plan-import'],
  notifications: ['contracts', 'domain', 'persistence', 'config'],
  directory: ['audit', 'contracts', 'domain', 'persistence'],
  audit: ['domain', 'persistence'],
  auth: ['audit', 'directory', 'domain', 'persistence'],
  cycles: ['audit', 'calendar', 'contracts', 'directory', 'domain', 'persistence', 'plans', 'workflows'],
  digest: ['calendar', 'contracts', 'directory', 'domain', 'notifications', 'persistence', 'plans'],
  reporting: ['audit', 'calendar', 'contracts', 'cycles', 'domain', 'persistence', 'plans'],
  rehearsal: ['calendar', 'contracts', 'cycles', 'domain', 'persistence'],
  'api-schema': ['audit', 'auth', 'contracts', 'cycles', 'directory', 'domain', 'notifications', 'plans', 'reporting'],
  runtime: ['config', 'logging', 'notifications', 'persistence'],
};

const libraryBoundaries = Object.entries(LIBRARY_IMPORTS).map(([library, allowed]) => ({
  files: [`libs/${library}/**/*.ts`],
  ignores: [`libs/${library}/**/*.spec.ts`, `libs/${library}/**/*.int-spec.ts`],
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: allowed.length ? `^#(?!(${allowed.join('|')})$)[\\w-]+$` : '^#[\\w-]+$',
            message: `libs/${library} may import only ${allowed.map((a) => `#${a}`).join(', ') || 'no other library'} (docs/architecture.md). / 该库只能引用上述库。`,
          },
          {
            regex: '(^|/)apps/',
            message: 'A library never imports an app. / 库不得引用应用。',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', 'apps/web/src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-properties': ['error', processEnv],
    },
  },
  {
    // Response bodies in tests are checked by expect(), not by the type checker.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The date tests' zone projects (jest.config.js) set the process's TZ, and check it is the one in effect.
    files: ['test/support/zone-environment.ts', '**/*.zone-spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['libs/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    rules: { 'no-restricted-syntax': ['error', ...sqlInApps] },
  },
  {
    // Exempt, and only these: tests beside app code, which, like those under test/, arrange a state below the
    // API (a stale send claim) and check what was stored.
    files: ['apps/**/*.spec.ts', 'apps/**/*.int-spec.ts', 'apps/**/*.e2e-spec.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(@temporalio/workflow|#domain|#contracts)$)(?!\\./).*',
              message:
                'Workflow code is deterministic: import only @temporalio/workflow, #domain, #contracts or ./ files. / 工作流代码只能引用 @temporalio/workflow、#domain、#contracts。',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflows import the contracts, so the contracts may import nothing with effects either.
    files: ['libs/contracts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!(#domain|@temporalio/workflow)$)(?!\\./).*',
              message:
                'libs/contracts is imported by workflows: only ./ files, #domain and @temporalio/workflow (definitions). / 契约层只能引用本目录文件、#domain 和 @temporalio/workflow。',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['libs/domain/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\.?/(?!\\.\\./)).*',
              message: 'libs/domain is pure: no packages, no I/O; pass data in. / 领域层不得引用外部模块。',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        processEnv,
        { object: 'Date', property: 'now', message: 'libs/domain has no clock: pass the time in. / 领域层不读时钟。' },
        {
          object: 'Math',
          property: 'random',
          message: 'libs/domain is deterministic: pass ids in. / 领域层不生成随机数。',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'libs/domain has no clock: pass the time in. / 领域层不读时钟。',
        },
      ],
    },
  },
  ...libraryBoundaries,
);

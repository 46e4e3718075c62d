// ESLint flat config. Zones are enforced here, not hoped for:
//   shared    imports nothing of ours and nothing Node- or Electron-only;
//   renderer  imports shared only, never electron/ or `electron`; components reach the API only through hooks;
//   electron/services, ipc and web-shell never import `electron` (type imports are allowed in services);
//   rooms inside electron/services import only lower layers (eslint-rules/service-layers.js);
//   raw ipcMain / ipcRenderer appear only in the two wrapper files.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';
import { foreignPlugin } from './eslint-rules/no-foreign-private.js';
import { kurierPlugin } from './eslint-rules/service-layers.js';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'tls', 'http', 'https', 'crypto'];

const noElectronValue = {
  name: 'electron',
  message: 'Only main.ts, preload.ts and platform/ may import electron; services run in plain Node.',
  allowTypeImports: true,
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    // Launcher and test-session scripts talk to the person at the terminal.
    files: ['electron/launcher.mjs', 'tests/support/*.mjs', '.ci/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react'],
          patterns: [
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared imports neither electron/ nor renderer/.' },
            { group: nodeBuiltins, message: 'shared runs in the renderer too: nothing Node-only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ...jsxA11y.flatConfigs.strict,
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.strict.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer knows only window.kurier and shared/.' },
            { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node modules.' },
          ],
        },
      ],
    },
  },
  {
    // Components reach main through hooks (renderer/hooks/use-kurier.ts), never the API module itself;
    // plain modules (open-pdf.ts, import-files.ts…) may. Repeats the renderer zone's restrictions, since
    // a later no-restricted-imports replaces the earlier one's options.
    files: ['renderer/**/*.tsx'],
    ignores: ['renderer/hooks/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [
            { group: ['**/electron/**'], message: 'The renderer knows only window.kurier and shared/.' },
            { group: nodeBuiltins, message: 'The renderer is sandboxed: no Node modules.' },
            {
              group: ['**/kurier', '**/kurier.ts'],
              message: 'Components get the API through hooks: useKurier() / useKurierEvent() in renderer/hooks/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/services/**/*.ts', 'electron/ipc/**/*.ts', 'electron/web-shell/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectronValue], patterns: [{ group: ['**/renderer/**'], message: 'Main never imports the renderer.' }] },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/platform/electron-ipc.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportSpecifier[imported.name=/^ipc(Main|Renderer)$/]',
          message: 'Raw ipcMain/ipcRenderer only in platform/electron-ipc.ts and preload.ts.',
        },
      ],
    },
  },
  {
    // Another package's `_`-prefixed members are its internals (eslint-rules/no-foreign-private.js). The
    // application's code; tests/support/faulty-smtp-server.ts still reaches smtp-server's session sockets
    // to simulate hang-ups.
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    plugins: { foreign: foreignPlugin },
    rules: { 'foreign/no-private-members': 'error' },
  },
  {
    // Rooms inside electron/services point one way (the order: eslint-rules/service-layers.js), and no
    // service imports a value from electron.
    files: ['electron/services/**/*.ts'],
    plugins: { kurier: kurierPlugin },
    rules: { 'kurier/service-layers': 'error' },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // Tests assert with non-null assertions on values they have just checked exist.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);

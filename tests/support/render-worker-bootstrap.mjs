// Loads the TypeScript render worker through jiti (a devDependency), as vitest does for test files:
// plain Node cannot resolve the extension-less imports of the sources. Production runs the built
// render-worker.js instead.
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url);
await jiti.import(new URL('../../electron/services/export/render-worker.ts', import.meta.url).pathname);

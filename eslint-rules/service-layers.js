/**
 * ESLint rule `kurier/service-layers`: the rooms inside `electron/services/` point one way (ARCHITECTURE:
 * `export/` renders and saves; `sending/` owns "send this document"; `mail/` owns the one SMTP session),
 * and no service imports a value from `electron` (services run in plain Node; `import type` is allowed).
 *
 * {@link serviceLayers} is the one place the order is written down: a room may import rooms of lower
 * layers only — never one of its own layer or above (siblings stay independent). Files directly in
 * `electron/services/` (app-services.ts, the composition) may import every room. A room missing from the
 * list is reported, so a new one gets its place instead of slipping through.
 */
import path from 'node:path';

/**
 * The layers, lowest first. Read it as: everything on a line may use everything on the lines above it.
 * @type {readonly (readonly string[])[]}
 */
export const serviceLayers = [
  ['logging', 'data', 'files', 'time'], // plain helpers: logger, SQLite and locations, safe new files, deadlines
  ['secrets', 'documents'], // the keychain; companies, partners, documents
  ['einvoice', 'prefs'], // e-invoice formats; both preferences files
  ['oauth', 'payslips'], // provider sign-ins; payslip passwords and handovers
  ['mail'], // the one SMTP session, logins, the connection test, message drafts
  ['autoconfig', 'export', 'handoff', 'outbox'], // detection; render and save; mail programs; delivery
  ['sending'], // "send this document": export + copy, hand-off fallback, outbox enqueue, batches
  ['notifications', 'imports'], // the outbox's e-mail notifications; documents coming in
];

/** @type {ReadonlyMap<string, number>} */
const layerOf = new Map(serviceLayers.flatMap((rooms, layer) => rooms.map((room) => [room, layer])));

/**
 * The room of `file` (a directory right under electron/services), '' for a file directly in it, null
 * outside electron/services.
 * @param {string} file
 */
export function roomOf(file) {
  const parts = file.split(/[\\/]+/u);
  for (let index = parts.length - 2; index >= 1; index -= 1) {
    if (parts[index - 1] === 'electron' && parts[index] === 'services') {
      return parts.length - index > 2 ? (parts[index + 1] ?? null) : '';
    }
  }
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export const serviceLayersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Rooms inside electron/services import only lower layers; services never import electron.' },
    schema: [],
    messages: {
      upward:
        '`{{from}}/` may not import `{{to}}/` (layer {{toLayer}} is not below {{fromLayer}}): move the shared part down, or the use case up (eslint-rules/service-layers.js).',
      unknownRoom: '`{{room}}/` has no layer: add it to serviceLayers in eslint-rules/service-layers.js.',
      electron: 'Services run in plain Node: import only types from electron (main.ts and platform/ wire the rest).',
    },
  },
  create(context) {
    const filename = context.physicalFilename ?? context.filename;
    const from = roomOf(filename);
    if (from === null) return {};
    /**
     * @param {import('estree').Node} node
     * @param {unknown} source
     * @param {boolean} typeOnly
     */
    const check = (node, source, typeOnly) => {
      if (typeof source !== 'string') return;
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!typeOnly) context.report({ node, messageId: 'electron' });
        return;
      }
      if (from === '' || !source.startsWith('.')) return;
      const to = roomOf(path.resolve(path.dirname(filename), source));
      if (to === null || to === '' || to === from) return;
      const fromLayer = layerOf.get(from);
      const toLayer = layerOf.get(to);
      if (fromLayer === undefined || toLayer === undefined) {
        context.report({ node, messageId: 'unknownRoom', data: { room: fromLayer === undefined ? from : to } });
        return;
      }
      if (toLayer >= fromLayer)
        context.report({ node, messageId: 'upward', data: { from, to, fromLayer: String(fromLayer), toLayer: String(toLayer) } });
    };
    /** @param {any} node */
    const typeOnlyImport = (node) =>
      node.importKind === 'type' ||
      (node.specifiers.length > 0 && node.specifiers.every((/** @type {any} */ specifier) => specifier.importKind === 'type'));
    return {
      /** @param {any} node */
      ImportDeclaration(node) {
        check(node, node.source.value, typeOnlyImport(node));
      },
      /** @param {any} node */
      'ExportNamedDeclaration, ExportAllDeclaration'(node) {
        if (node.source) check(node, node.source.value, node.exportKind === 'type');
      },
      /** @param {any} node */
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, false);
      },
    };
  },
};

/** The local plugin holding the rule as `service-layers`. */
export const kurierPlugin = { rules: { 'service-layers': serviceLayersRule } };

/**
 * ESLint rule `foreign/no-private-members`: no reading or writing another package's underscore-prefixed
 * members (`connection._socket`, `transport['_maxAllowedSize']`, `const { _socket } = connection`). Such
 * members are a library's internals: a release that renames them breaks us silently (issue 18: the outbox
 * reached into nodemailer's `_socket`, `_onSocketData`, `_maxAllowedSize`).
 *
 * A practical approximation of "declared in another package": the name is allowed on `this` and when this
 * very file declares it as a class member or an object literal's key (our own object). An interface or type
 * that merely describes a foreign object's internals does not count — that is how the old code reached in.
 */

/** @param {import('estree').Node | null | undefined} node */
function propertyName(node) {
  if (!node) return null;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

const isPrivate = (name) => typeof name === 'string' && /^_[^_]/.test(name) === true;

/** @type {import('eslint').Rule.RuleModule} */
export const noForeignPrivate = {
  meta: {
    type: 'problem',
    docs: { description: "Forbid access to underscore-prefixed members of other packages' objects." },
    schema: [],
    messages: {
      foreign: '`{{name}}` is another package’s private member: use its public API (a release may rename or remove it).',
    },
  },
  create(context) {
    /** Names this file declares itself (class members, object literal keys). */
    const own = new Set();
    /** Accesses seen, judged at the end once every declaration of the file is known. */
    const seen = [];
    const declare = (key, computed) => {
      const name = computed && key.type !== 'Literal' ? null : propertyName(key);
      if (isPrivate(name)) own.add(name);
    };
    return {
      PropertyDefinition(node) {
        declare(node.key, node.computed);
      },
      MethodDefinition(node) {
        declare(node.key, node.computed);
      },
      'ObjectExpression > Property'(node) {
        declare(node.key, node.computed);
      },
      MemberExpression(node) {
        if (node.object.type === 'ThisExpression' || node.object.type === 'Super') return;
        const name = node.computed
          ? node.property.type === 'Identifier'
            ? null
            : propertyName(node.property)
          : propertyName(node.property);
        if (isPrivate(name)) seen.push({ node: node.property, name });
      },
      'ObjectPattern > Property'(node) {
        const name = node.computed && node.key.type !== 'Literal' ? null : propertyName(node.key);
        if (isPrivate(name)) seen.push({ node: node.key, name });
      },
      'Program:exit'() {
        for (const { node, name } of seen) {
          if (!own.has(name)) context.report({ node, messageId: 'foreign', data: { name } });
        }
      },
    };
  },
};

/** The local plugin: `plugins: { foreign: foreignPlugin }`. */
export const foreignPlugin = { rules: { 'no-private-members': noForeignPrivate } };

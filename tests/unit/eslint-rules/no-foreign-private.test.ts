/**
 * The rule against another package's underscore-prefixed members (eslint-rules/no-foreign-private.js):
 * ESLint's RuleTester proves it fires on the accesses the outbox once made and lets our own code pass;
 * the real config proves it is switched on where the application lives.
 */
import { ESLint, RuleTester } from 'eslint';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { noForeignPrivate } from '../../../eslint-rules/no-foreign-private.js';

// RuleTester reports through the test framework's describe/it.
Object.assign(RuleTester, { afterAll, describe, it, itOnly: it.only });

const tester = new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } });
const foreign = (name: string) => ({ messageId: 'foreign', data: { name } });

tester.run('foreign/no-private-members', noForeignPrivate, {
  valid: [
    // Public API and our own members.
    'connection.login(auth, done); const size = session.maxSize;',
    'class Session { _state = 1; read() { return this._state; } }',
    'class Session { _state = 1; copy(other) { return other._state; } }',
    'const table = { _private: 1 }; export const x = table._private;',
    'function f(_unused, value) { return value.__proto__; }',
    'const { socket, size } = connection;',
    'const key = "_socket"; export const x = connection[key];',
    'class A { #socket = 1; get() { return this.#socket; } }',
  ],
  invalid: [
    { code: 'const socket = connection._socket;', errors: [foreign('_socket')] },
    { code: "socket.removeListener('data', internals._onSocketData);", errors: [foreign('_onSocketData')] },
    { code: "const max = connection['_maxAllowedSize'];", errors: [foreign('_maxAllowedSize')] },
    { code: 'const max = connection[`_maxAllowedSize`];', errors: [foreign('_maxAllowedSize')] },
    { code: 'const { _socket: socket } = connection;', errors: [foreign('_socket')] },
    { code: 'connection._socket = null;', errors: [foreign('_socket')] },
    { code: 'const n = (connection)._supportedAuth;', errors: [foreign('_supportedAuth')] },
    { code: 'server.connections[0]?._socket.destroy();', errors: [foreign('_socket')] },
  ],
});

describe('the config', () => {
  const root = path.resolve(import.meta.dirname, '..', '..', '..');
  const eslint = new ESLint({ cwd: root });
  const ruleIds = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
  };

  it('switches the rule on in electron/, shared/ and renderer/', { timeout: 60_000 }, async () => {
    const code =
      'export function size(connection: { readonly _maxAllowedSize: number }): number {\n  return connection._maxAllowedSize;\n}\n';
    for (const file of ['electron/services/mail/smtp-session.ts', 'shared/errors.ts', 'renderer/kurier.ts']) {
      expect(await ruleIds(file, code)).toContain('foreign/no-private-members');
    }
  });
});

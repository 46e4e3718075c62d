import type { ESLint, Rule } from 'eslint';

/** See no-foreign-private.js. */
export declare const noForeignPrivate: Rule.RuleModule;
/** The local plugin holding the rule as `no-private-members`. */
export declare const foreignPlugin: ESLint.Plugin;

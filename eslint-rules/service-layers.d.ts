import type { ESLint, Rule } from 'eslint';

/** The layers of electron/services, lowest first (see service-layers.js). */
export declare const serviceLayers: readonly (readonly string[])[];
/** The room of a file under electron/services ('' directly in it, null outside). */
export declare function roomOf(file: string): string | null;
/** See service-layers.js. */
export declare const serviceLayersRule: Rule.RuleModule;
/** The local plugin holding the rule as `service-layers`. */
export declare const kurierPlugin: ESLint.Plugin;

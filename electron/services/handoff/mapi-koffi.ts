/**
 * The MAPI structures and MAPISendMailW declared with koffi (https://koffi.dev), a foreign-function
 * interface that ships prebuilt binaries inside its npm packages. koffi is loaded only by the helper
 * process and is typed here by the little Kurier uses, so the rest of Kurier builds without it.
 */
import { mapiStructLayouts, type MapiPlan } from './mapi';

/** A koffi type object. */
export type KoffiType = object;

/** The part of koffi's API that Kurier uses. */
export interface Koffi {
  struct(definition: Record<string, string | KoffiType>): KoffiType;
  pointer(type: KoffiType): KoffiType;
  sizeof(type: KoffiType): number;
  offsetof(type: KoffiType, member: string): number;
  load(path: string): KoffiLibrary;
}

/** A loaded library. */
export interface KoffiLibrary {
  func(
    convention: string,
    name: string,
    result: string,
    parameters: readonly (string | KoffiType)[],
  ): (...args: unknown[]) => unknown;
}

/** The three structure types. */
export interface MapiTypes {
  readonly MapiRecipDescW: KoffiType;
  readonly MapiFileDescW: KoffiType;
  readonly MapiMessageW: KoffiType;
}

/**
 * Declares the structures from {@link mapiStructLayouts}. They are anonymous, so declaring them again
 * (another call, another test) does not clash with koffi's registry of named types.
 */
export function defineMapiTypes(koffi: Koffi): MapiTypes {
  const declare = (layout: readonly (readonly [string, string])[], known: Record<string, KoffiType>): KoffiType =>
    koffi.struct(
      Object.fromEntries(
        layout.map(([member, type]) => {
          const target = type.endsWith(' *') ? known[type.slice(0, -2)] : undefined;
          return [member, target !== undefined ? koffi.pointer(target) : type];
        }),
      ),
    );
  const MapiRecipDescW = declare(mapiStructLayouts.MapiRecipDescW, {});
  const MapiFileDescW = declare(mapiStructLayouts.MapiFileDescW, {});
  const MapiMessageW = declare(mapiStructLayouts.MapiMessageW, { MapiRecipDescW, MapiFileDescW });
  return { MapiRecipDescW, MapiFileDescW, MapiMessageW };
}

/**
 * MAPISendMailW from `libraryPath` (on Windows `%SystemRoot%\System32\MAPI32.dll`, the system stub) as a function of a
 * {@link MapiPlan}: koffi copies the plan's objects, arrays and strings (UTF-16, NUL-terminated) into
 * native memory for the duration of the call. Throws when the library or the function cannot be loaded.
 */
export function loadMapiSendMail(koffi: Koffi, libraryPath: string): (plan: MapiPlan) => number {
  const types = defineMapiTypes(koffi);
  const library = koffi.load(libraryPath);
  const send = library.func('__stdcall', 'MAPISendMailW', 'uint32', [
    'uintptr_t',
    'uintptr_t',
    koffi.pointer(types.MapiMessageW),
    'uint32',
    'uint32',
  ]);
  return (plan) => {
    const code = send(0, 0, plan.message, plan.flags, 0);
    if (typeof code !== 'number') throw new Error(`MAPISendMailW returned ${typeof code}`);
    return code;
  };
}

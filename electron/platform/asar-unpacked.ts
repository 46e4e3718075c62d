/**
 * Worker threads and the asar archive: the packaged app runs from `resources/app.asar`, but a worker
 * thread's script and everything it imports are loaded by Node itself, which cannot look inside the
 * archive. electron-builder.yml therefore unpacks the render worker, its chunks and the packages it
 * imports (asarUnpack) into `resources/app.asar.unpacked`, and the pool starts the worker from there.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The same file outside the archive: a URL inside `…/app.asar/…` becomes `…/app.asar.unpacked/…` when
 * that file exists; any other URL (a development build, the web shell) is returned as it is.
 */
export function outsideAsar(url: URL, exists: (path: string) => boolean = existsSync): URL {
  if (url.protocol !== 'file:') return url;
  const file = fileURLToPath(url);
  const unpacked = file.replace(/([\\/])app\.asar([\\/])/u, '$1app.asar.unpacked$2');
  return unpacked !== file && exists(unpacked) ? pathToFileURL(unpacked) : url;
}

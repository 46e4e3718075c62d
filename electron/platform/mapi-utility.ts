/**
 * The Simple MAPI helper as an Electron utility process: a Node process of Kurier's own executable
 * and bitness that works with the runAsNode fuse off (packaged Kurier), so a provider DLL that crashes
 * ends only the helper. Needs the app to be ready (utilityProcess.fork refuses before).
 */
import { utilityProcess } from 'electron';
import { KurierError } from '../../shared/errors';
import { watchMapiHelper, type MapiHelperLimits, type MapiHelperRunner } from '../services/handoff/mapi-runner';

/** A runner that forks `helperPath` (the built `mapi-helper.js`) once per hand-off. */
export function utilityMapiHelperRunner(helperPath: string, limits: MapiHelperLimits = {}): MapiHelperRunner {
  return async (planJson) => {
    let child: Electron.UtilityProcess;
    try {
      child = utilityProcess.fork(helperPath, [], {
        // stdout carries the answer; Electron supports no stdin here, and an unread stderr pipe could fill.
        stdio: ['ignore', 'pipe', 'ignore'],
        serviceName: 'Kurier MAPI',
      });
    } catch (error) {
      // A fork that throws (app not ready, helper missing) is reported like the Node runner's.
      throw new KurierError('handoff.mapiUnavailable', { reason: 'helperNotStarted' }, { cause: error });
    }
    const run = watchMapiHelper(child, limits);
    // A utility process has no stdin: the helper takes the plan from its first parentPort message,
    // which Electron queues until the process has started.
    child.postMessage(planJson);
    return await run;
  };
}

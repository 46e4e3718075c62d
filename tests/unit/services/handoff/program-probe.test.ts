/** The real probe on this machine's file system and programs. */
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeProgramProbe } from '../../../../electron/services/handoff/program-probe';
import { tempDir } from '../../../support/temp-dir';

describe.skipIf(process.platform === 'win32')('nodeProgramProbe', () => {
  const probe = nodeProgramProbe({ timeoutMs: 5_000 });

  it('tells executable files from plain files, folders and missing paths, following links', async () => {
    const dir = await tempDir();
    const program = path.join(dir, 'thunderbird');
    const plain = path.join(dir, 'notes.txt');
    await writeFile(program, '#!/bin/sh\n');
    await chmod(program, 0o755);
    await writeFile(plain, 'x');
    await mkdir(path.join(dir, 'folder'));
    await symlink(program, path.join(dir, 'link'));

    expect(await probe.isExecutableFile(program)).toBe(true);
    expect(await probe.isExecutableFile(path.join(dir, 'link'))).toBe(true);
    expect(await probe.isExecutableFile(plain)).toBe(false);
    expect(await probe.isExecutableFile(path.join(dir, 'folder'))).toBe(false);
    expect(await probe.isExecutableFile(path.join(dir, 'missing'))).toBe(false);
    expect(await probe.isDirectory(path.join(dir, 'folder'))).toBe(true);
    expect(await probe.isDirectory(plain)).toBe(false);
  });

  it('returns what a query printed, and null when it fails, is missing or hangs', async () => {
    expect(await probe.query(['/bin/echo', 'thunderbird.desktop', '$(id)'])).toBe('thunderbird.desktop $(id)\n');
    expect(await probe.query(['/bin/sh', '-c', 'echo partial; exit 1'])).toBeNull();
    expect(await probe.query(['/nonexistent/reg.exe', 'query'])).toBeNull();
    expect(await probe.query([])).toBeNull();
    expect(await nodeProgramProbe({ timeoutMs: 200 }).query(['/bin/sleep', '5'])).toBeNull();
  });
});

/**
 * Main tells every window when the companies change (`companies:changed`), whatever changed them: an
 * import that creates its issuers, a company edited or given a logo, the demo companies removed. One
 * event per burst, sent once the change is stored, so a window that reads the list then sees it.
 */
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createAppFixture } from '../../../support/app-fixture';
import { stripedPng } from '../../../support/png-image';

const fixtures = path.resolve(import.meta.dirname, '../../../fixtures/documents');

describe('companies:changed', () => {
  it('follows an import creating a company, an edit, a logo and removing the demo, each once', async () => {
    const app = await createAppFixture();
    const { documents, imports } = app.services;
    /** The company names a window reading the list on each event would show. */
    const seen: string[][] = [];
    app.forwardEvents((event) => {
      if (event === 'companies:changed') seen.push(documents.companies.list().map((company) => company.name));
    });
    const before = documents.companies.list();

    const plan = await imports.planPaths([path.join(fixtures, 'isdoc-unknown-company.isdoc')]);
    expect(imports.commit(plan.planId, true).imported).toBe(1);
    await nextTurn();
    expect(seen).toHaveLength(1);
    const created = documents.companies.list().find((company) => !before.some((known) => known.id === company.id));
    if (!created) throw new Error('the import created no company');
    expect(seen[0]).toContain(created.name);

    const profile = documents.companies.view(created.id);
    documents.companies.update(created.id, { ...profile, name: 'Přejmenovaná s.r.o.' });
    await nextTurn();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toContain('Přejmenovaná s.r.o.');

    documents.companies.setLogo(created.id, stripedPng(40, 20));
    await nextTurn();
    expect(seen).toHaveLength(3);

    expect(documents.companies.removeDemo()).toBe(2);
    await nextTurn();
    expect(seen.at(-1)).toEqual(['Přejmenovaná s.r.o.']);
    // Nothing left to remove: nothing changed, no event.
    expect(documents.companies.removeDemo()).toBe(0);
    await nextTurn();
    expect(seen).toHaveLength(4);
  });
});

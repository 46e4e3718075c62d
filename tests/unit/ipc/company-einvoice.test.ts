/**
 * `companies:updateEinvoice` as main checks it: the KSeF environment is Poland's, so a company outside
 * Poland is refused anything but production (as it is the Polish transfer QR), an unknown environment
 * is refused by the schema, and a Polish company's choice is stored and shown back.
 */
import { describe, expect, it } from 'vitest';
import type { CompanyEinvoiceView } from '../../../shared/company-einvoice';
import { dispatch } from '../../../electron/ipc/dispatch';
import { createHandlers, type ShellAdapter } from '../../../electron/ipc/handlers';
import { createAppFixture, keyringAvailable } from '../../support/app-fixture';

const shell = {
  kind: 'electron',
  version: '0.0.0-test',
  systemLanguage: 'en',
  chooseFolder: () => Promise.resolve({ supported: false, path: null }),
  openWindow: () => Promise.resolve({ opened: true, url: '' }),
  openExternal: () => Promise.resolve(false),
  revealFile: () => Promise.resolve(false),
} satisfies ShellAdapter;

describe.skipIf(!keyringAvailable)('companies:updateEinvoice — KSeF environment', () => {
  it('stores a Polish company’s environment and refuses one for a company outside Poland', async () => {
    const fixture = await createAppFixture();
    const { documents, logger } = fixture.services;
    const handlers = createHandlers(fixture.services, shell);
    const czech = documents.companies.list().find((company) => company.country === 'CZ');
    const polish = documents.companies.list().find((company) => company.country === 'PL');
    if (!czech || !polish) throw new Error('the demo has a Czech and a Polish company');
    const settings = { isdocAttachment: 'separate', polishTransferQr: false };

    expect(
      await dispatch(handlers, 'companies:updateEinvoice', { ...settings, companyId: czech.id, ksefEnvironment: 'test' }, logger),
    ).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(
      await dispatch(
        handlers,
        'companies:updateEinvoice',
        { ...settings, companyId: polish.id, ksefEnvironment: 'staging' },
        logger,
      ),
    ).toMatchObject({ ok: false, error: { code: 'input.invalid' } });
    expect(documents.getCompany(czech.id).ksefEnvironment).toBe('production');
    expect(documents.getCompany(polish.id).ksefEnvironment).toBe('production');

    const saved = await dispatch(
      handlers,
      'companies:updateEinvoice',
      { ...settings, companyId: polish.id, ksefEnvironment: 'test' },
      logger,
    );
    if (!saved.ok) throw new Error(JSON.stringify(saved.error));
    const views = saved.value as readonly CompanyEinvoiceView[];
    expect(views.find((view) => view.companyId === polish.id)?.ksefEnvironment).toBe('test');
    expect(views.find((view) => view.companyId === czech.id)?.ksefEnvironment).toBe('production');
    expect(documents.getCompany(polish.id).ksefEnvironment).toBe('test');
  });
});

/** Errors that tell the truth: the cause the user can act on, in words, never an id or a file to read. */
import { describe, expect, it } from 'vitest';
import { languages } from '../../../shared/domain';
import { handoffRoutes } from '../../../shared/handoff';
import { catalogs, createTranslator, describeError } from '../../../shared/i18n';
import { fieldProblems } from '../../../renderer/field-problems';

describe('a sign-in that is not set up', () => {
  it('names the provider as people write it and does not send anyone to the README', () => {
    for (const language of languages) {
      const { message, fix } = describeError(createTranslator(language), {
        code: 'oauth.notRegistered',
        details: { provider: 'microsoft' },
      });
      expect(`${message} ${fix}`, language).toContain('Microsoft');
      expect(`${message} ${fix}`, language).not.toMatch(/\bmicrosoft\b/u);
      expect(`${message} ${fix}`, language).not.toContain('README');
    }
  });

  it('no catalog points to the README, which users of the app never see', () => {
    for (const language of languages) expect(JSON.stringify(catalogs[language]), language).not.toContain('README');
  });
});

describe('invalid input', () => {
  it('does not speak of highlighted fields', () => {
    for (const language of languages) {
      const { message, fix } = describeError(createTranslator(language), {
        code: 'input.invalid',
        details: { _: 'untrustedSender' },
      });
      expect(`${message} ${fix}`).not.toMatch(/highlighted|zvýrazněn|zaznaczone pola/u);
    }
  });

  it('counts only details that mark a field on screen', () => {
    expect(fieldProblems({ code: 'input.invalid', details: { _: 'untrustedSender' } }).count).toBe(0);
    expect(fieldProblems({ code: 'input.invalid', details: { field: 'filePath' } }).count).toBe(0);
    expect(fieldProblems({ code: 'input.invalid', details: { host: 'invalidHost', port: 'invalidPort' } }).count).toBe(2);
  });
});

describe('a message handed to a mail program', () => {
  it('is one whole sentence per route, never “is open in A mailto link (no attachment)”', () => {
    for (const language of languages) {
      const t = createTranslator(language);
      for (const route of handoffRoutes) {
        const sentence = t(`export.handedOff.${route}`, { to: 'jan@firma.example' });
        expect(sentence, `${language} ${route}`).toContain('jan@firma.example');
        // The route's list label ("A mailto link (no attachment)", "The default mail program") never
        // appears inside the sentence.
        if (route === 'mailto' || route === 'mailClient') expect(sentence).not.toContain(t(`export.routes.${route}`));
      }
    }
    expect(createTranslator('en')('export.handedOff.mailto', { to: 'jan@firma.example' })).toBe(
      'The e-mail to jan@firma.example is open in your mail program, without the PDF: attach the file, check the message and send it there.',
    );
  });
});

/**
 * A payslip's password must not ride in its e-mail in any spelling: `800101/1234`, `800 101 1234` or
 * `800-101-1234` give away the password `8001011234` just as well, and `K7MQ 4X9C…` gives away
 * `k7mq-4x9c-…`. Texts that merely share a few digits with the password still go.
 */
import { describe, expect, it } from 'vitest';
import { assertNoPasswordIn } from '../../../../electron/services/payslips/payslip-passwords';

const refused = (password: string, text: string) => {
  expect(() => {
    assertNoPasswordIn(password, ['Výplatní páska za 2026-03', text]);
  }).toThrow(expect.objectContaining({ code: 'payslip.passwordInMail' }));
};

describe('the password-in-mail check', () => {
  it.each([
    'Heslo: 800101/1234',
    'Heslo je vaše rodné číslo 800101 / 1234.',
    'heslo 800 101 1234',
    'heslo 800-101-1234',
    'heslo 800.101.1234',
    'heslo 80 01 01 / 12 34',
    'RČ 8001011234',
  ])('refuses %s for the password 8001011234', (text) => {
    refused('8001011234', text);
  });

  it.each(['800101/1234', '800 101 1234'])('refuses 8001011234 for the password %s', (password) => {
    refused(password, 'Heslo: 8001011234');
  });

  it.each(['Heslo: K7MQ 4X9C TR2H 8WPE', 'heslo k7mq4x9ctr2h8wpe', 'k7mq.4x9c.tr2h.8wpe'])(
    'refuses %s for a generated password',
    (text) => {
      refused('k7mq-4x9c-tr2h-8wpe', text);
    },
  );

  it.each([
    ['8001011234', 'Dobrý den, v příloze je výplatní páska, číslo dokladu 800101.'],
    ['k7mq-4x9c-tr2h-8wpe', 'Čistá mzda 7 498 Kč, k7mq'],
    ['Modrá-konvice-na-čaj', 'Heslo vám předáme osobně.'],
  ])('lets %s go with %s', (password, text) => {
    expect(() => {
      assertNoPasswordIn(password, [text]);
    }).not.toThrow();
  });
});

/**
 * What a typed payslip password may be: long enough, not a date, birth number, PESEL or phone number
 * in any spelling, not built from the employee's own data — and every generated password passes.
 */
import { describe, expect, it } from 'vitest';
import { isBirthNumber, isPesel, payslipPasswordProblem } from '../../../../electron/services/payslips/password-rules';
import type { ErrorCode } from '../../../../shared/errors';
import { generatePayslipPassword } from '../../../../electron/services/payslips/payslip-passwords';

const employee = {
  name: 'Kateřina Nováčková',
  email: 'katerina.novackova@posta-demo.example',
  taxId: 'CZ8552154325',
  registrationNumber: '',
};
const polish = {
  name: 'Małgorzata Wójcik-Zięba',
  email: 'malgorzata.wojcik@poczta-demo.example',
  taxId: '',
  registrationNumber: '',
};

describe('payslip password rules', () => {
  it.each(['Tajné-heslo', '8001011238', '800101/1238', 'abcdefghijk'])('refuse %s: shorter than 12 characters', (password) => {
    expect(payslipPasswordProblem(password, employee)).toBe('payslip.passwordTooShort');
  });

  it.each([
    // Birth numbers (rodné číslo), with a slash, spaces, dashes, dots, and inside other text.
    '800101 / 1238',
    '80 01 01 / 1238',
    '800-101-1238-00',
    'heslo8001011238',
    'Zuzka 855215/4325',
    // PESEL, plain and with separators or letters around.
    '440514-01359',
    '440 514 013 59',
    'Ania44051401359!',
    // Phone numbers.
    '+420 603 123 456',
    '00420603123456',
    '+48 512-345-678',
    '(603) 123 456 789',
    // Dates, numeric and spelled out.
    '1980 - 01 - 01',
    '01 / 01 / 1980',
    '1. ledna 1980',
    '15. února 1985',
    '1 stycznia 1980',
    '14 października 1985',
    'January 1, 1980',
  ])('refuse %s: a date, birth number, PESEL or phone number', (password) => {
    expect(payslipPasswordProblem(password, employee)).toBe('payslip.passwordGuessable');
  });

  const personal: [string, typeof employee, ErrorCode][] = [
    ['Kateřina Nováčková', employee, 'payslip.passwordPersonal'],
    ['katerina.novackova', employee, 'payslip.passwordPersonal'],
    ['Kateřina Nováčková 1980', employee, 'payslip.passwordPersonal'],
    ['Novackova-posta-demo', employee, 'payslip.passwordPersonal'],
    // A tax ID that holds a valid birth number is refused as such.
    ['ab-CZ8552154325', employee, 'payslip.passwordGuessable'],
    ['heslo-27082440', { ...employee, registrationNumber: '27082440' }, 'payslip.passwordPersonal'],
    ['NIP 526-025-02-74', { ...polish, taxId: '5260250274' }, 'payslip.passwordPersonal'],
    ['Małgorzata Wójcik', polish, 'payslip.passwordPersonal'],
    ['malgorzata.wojcik@poczta-demo.example', polish, 'payslip.passwordPersonal'],
  ];
  it.each(personal)('refuse %s: made of the employee’s own data', (password, who, code) => {
    expect(payslipPasswordProblem(password, who)).toBe(code);
  });

  it.each([
    'k7mq-4x9c-tr2h-8wpe',
    'Tajné-heslo-2026',
    'correct horse battery staple',
    'Kateřina má ráda čaj a hory',
    '4829 1730 5561 9023 77',
  ])('accept %s', (password) => {
    expect(payslipPasswordProblem(password, employee)).toBeNull();
  });

  it('generates only passwords that pass, for every employee', () => {
    for (const who of [employee, polish]) {
      for (let i = 0; i < 2000; i++) {
        const password = generatePayslipPassword(who);
        expect(payslipPasswordProblem(password, who)).toBeNull();
      }
    }
  });

  it('knows a birth number and a PESEL by their check digits', () => {
    expect(isBirthNumber('8001011238')).toBe(true);
    expect(isBirthNumber('8001011239')).toBe(false);
    expect(isBirthNumber('8013011238')).toBe(false);
    expect(isPesel('44051401359')).toBe(true);
    expect(isPesel('44051401358')).toBe(false);
  });
});

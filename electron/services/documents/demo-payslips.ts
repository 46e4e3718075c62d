import type { DocumentLine } from '../../../shared/domain';

/**
 * Payslip lines for the demo: the gross wage, then the employee's deductions as negative lines, all at
 * VAT 0, so `computeTotals(lines).totalMinor` is the net pay. Simplified 2026 rules, good enough to look
 * right on paper; this is not a payroll engine.
 */

function line(description: string, unit: string, amountMinor: number): DocumentLine {
  return { description, quantityMilli: 1000, unit, unitPriceMinor: amountMinor, vatRatePercent: 0 };
}

/** Rounds minor units up to whole crowns / złoty. */
function ceilToWhole(minor: number): number {
  return Math.ceil(minor / 100) * 100;
}

/**
 * Czech employee: social insurance 7.1 %, health insurance 4.5 % (both rounded up to whole CZK), income
 * tax advance 15 % of the gross rounded up to 100 CZK, less the monthly taxpayer credit of 2 570 CZK.
 */
export function czechPayslipLines(grossMinor: number): DocumentLine[] {
  const social = ceilToWhole((grossMinor * 71) / 1000);
  const health = ceilToWhole((grossMinor * 45) / 1000);
  const taxBase = Math.ceil(grossMinor / 10_000) * 10_000;
  const tax = Math.max(0, ceilToWhole((taxBase * 15) / 100) - 257_000);
  return [
    line('Hrubá mzda', 'měs.', grossMinor),
    line('Sociální pojištění – zaměstnanec 7,1 %', 'měs.', -social),
    line('Zdravotní pojištění – zaměstnanec 4,5 %', 'měs.', -health),
    line('Záloha na daň z příjmů 15 % po slevě na poplatníka', 'měs.', -tax),
  ];
}

/**
 * Polish employee: social contributions 13.71 % (pension 9.76, disability 1.5, sickness 2.45), health
 * contribution 9 % of the gross less social contributions, PIT advance 12 % of the gross less social
 * contributions and 250 zł costs (rounded to whole złoty), less the 300 zł monthly reduction.
 */
export function polishPayslipLines(grossMinor: number): DocumentLine[] {
  const social = [976, 150, 245].reduce((sum, basisPoints) => sum + Math.round((grossMinor * basisPoints) / 10_000), 0);
  const health = Math.round(((grossMinor - social) * 9) / 100);
  const taxBase = Math.round((grossMinor - social - 25_000) / 100) * 100;
  const tax = Math.max(0, Math.round(((taxBase * 12) / 100 - 30_000) / 100) * 100);
  return [
    line('Wynagrodzenie brutto', 'mies.', grossMinor),
    line('Składki na ubezpieczenia społeczne 13,71 %', 'mies.', -social),
    line('Składka na ubezpieczenie zdrowotne 9 %', 'mies.', -health),
    line('Zaliczka na podatek dochodowy (PIT)', 'mies.', -tax),
  ];
}

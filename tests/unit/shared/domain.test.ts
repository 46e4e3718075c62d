import { describe, expect, it } from 'vitest';
import { computeTotals } from '../../../shared/domain';
import type { DocumentLine } from '../../../shared/domain';

function line(quantityMilli: number, unitPriceMinor: number, vatRatePercent: number): DocumentLine {
  return { description: 'x', quantityMilli, unit: 'ks', unitPriceMinor, vatRatePercent };
}

describe('computeTotals', () => {
  it('returns zeros for no lines', () => {
    expect(computeTotals([])).toEqual({ baseMinor: 0, vatMinor: 0, totalMinor: 0, vatRecap: [] });
  });

  it('rounds VAT once per rate, not per line', () => {
    // 0.07 at 21 % is 1.47 → 1 per line, so per-line rounding would give 3; per rate 0.21 → 4.41 → 4.
    const totals = computeTotals([line(1000, 7, 21), line(1000, 7, 21), line(1000, 7, 21)]);
    expect(totals.vatRecap).toEqual([{ vatRatePercent: 21, baseMinor: 21, vatMinor: 4 }]);
    expect(totals.totalMinor).toBe(25);
  });

  it('keeps one recap row per rate, highest rate first, and sums them', () => {
    const totals = computeTotals([
      line(2000, 10_000, 12),
      line(1000, 650_000, 21),
      line(1500, 180_000, 21),
      line(1000, 49_000, 0),
    ]);
    expect(totals.vatRecap).toEqual([
      { vatRatePercent: 21, baseMinor: 920_000, vatMinor: 193_200 },
      { vatRatePercent: 12, baseMinor: 20_000, vatMinor: 2_400 },
      { vatRatePercent: 0, baseMinor: 49_000, vatMinor: 0 },
    ]);
    expect(totals.baseMinor).toBe(989_000);
    expect(totals.vatMinor).toBe(195_600);
    expect(totals.totalMinor).toBe(1_184_600);
  });

  it('multiplies fractional quantities exactly (thousandths) and rounds the line base', () => {
    // 2.5 h × 333.33 = 833.325 → 833.33 (83 333 minor units after rounding .5 up)
    const totals = computeTotals([line(2500, 33_333, 23)]);
    expect(totals.baseMinor).toBe(83_333);
    expect(totals.vatMinor).toBe(Math.round(83_333 * 0.23));
  });

  it('models a payslip: gross minus negative deduction lines at VAT 0 gives the net pay', () => {
    const totals = computeTotals([
      line(1000, 4_200_000, 0),
      line(1000, -298_200, 0),
      line(1000, -189_000, 0),
      line(1000, -373_000, 0),
    ]);
    expect(totals.vatRecap).toEqual([{ vatRatePercent: 0, baseMinor: 3_339_800, vatMinor: 0 }]);
    expect(totals.totalMinor).toBe(3_339_800);
  });

  it('handles credit notes with negative quantities', () => {
    const totals = computeTotals([line(-3000, 45_000, 21)]);
    expect(totals.baseMinor).toBe(-135_000);
    expect(totals.vatMinor).toBe(-28_350);
    expect(totals.totalMinor).toBe(-163_350);
  });
});

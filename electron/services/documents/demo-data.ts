import type { Company, Language, Partner } from '../../../shared/domain';

/**
 * Static demo records for {@link seedDemoCompany}: a Czech accounting office, its Czech, Polish and
 * Irish clients and its employees. Registration numbers, tax ids and the bank account pass their
 * national checksums so validators do not reject the demo. Every e-mail address is on the reserved
 * `.example` TLD (RFC 2606), so a demo send can never reach a real person.
 */

/** The Czech demo company: the issuer of the Czech and English demo documents. */
export const demoCompany: Company = {
  name: 'Účetní kancelář Bílá & Čížek s.r.o.',
  address: { street: 'Korunní 2569/108', city: 'Praha 10', postalCode: '101 00', country: 'CZ' },
  registrationNumber: '27082440',
  taxId: 'CZ27082440',
  email: 'fakturace@bila-cizek.example',
  phone: '+420 222 512 480',
  bankAccount: '2801234578/2010',
  iban: 'CZ0520100000002801234578',
};

/**
 * The Polish demo company: the issuer of the Polish partners' PLN invoices and the Polish payslips. Its
 * NIP, REGON and account pass their checksums.
 */
export const demoPolishCompany: Company = {
  name: 'Biuro Rachunkowe Żuraw i Wspólnicy sp. z o.o.',
  address: { street: 'ul. Floriańska 12', city: 'Kraków', postalCode: '31-019', country: 'PL' },
  registrationNumber: '365123458',
  taxId: '6772244113',
  email: 'faktury@biuro-zuraw.example',
  phone: '+48 12 421 55 90',
  bankAccount: '51 1050 1445 1000 0090 3123 4567',
  iban: 'PL51105014451000009031234567',
};

/** Which demo company a partner belongs to: Polish partners and employees to the Polish one. */
export function demoCompanyOf(partner: Pick<Partner, 'language'>): 'cz' | 'pl' {
  return partner.language === 'pl' ? 'pl' : 'cz';
}

/** A demo partner before it has a database id; `key` lets the seed refer to it. */
export interface DemoPartner extends Omit<Partner, 'id' | 'companyId'> {
  readonly key: string;
}

const business = 'business' as const;
const employee = 'employee' as const;

/** Clients (business) and employees; every hard Czech and Polish letter occurs in a name or address. */
export const demoPartners: readonly DemoPartner[] = [
  {
    key: 'dvorak',
    kind: business,
    name: 'Dvořák & synové s.r.o.',
    contactPerson: 'Jana Dvořáková',
    email: 'jana.dvorakova@dvorak-stavby.example',
    phone: '',
    address: { street: 'Křižíkova 148/34', city: 'Praha 8', postalCode: '186 00', country: 'CZ' },
    registrationNumber: '06178235',
    taxId: 'CZ06178235',
    language: 'cs',
  },
  {
    key: 'stastny',
    kind: business,
    name: 'Přemysl Šťastný',
    contactPerson: 'Přemysl Šťastný',
    email: 'premysl.stastny@stastny-truhlarstvi.example',
    phone: '',
    address: { street: 'Husova 1196/7', city: 'Žďár nad Sázavou', postalCode: '591 01', country: 'CZ' },
    registrationNumber: '74128906',
    taxId: 'CZ7306151234',
    language: 'cs',
  },
  {
    // Deliberately without e-mail: the export flow must cope with a partner it cannot mail.
    key: 'ruzicka',
    kind: business,
    name: 'Pekařství U Růžičků s.r.o.',
    contactPerson: 'Božena Růžičková',
    email: '',
    phone: '',
    address: { street: 'Dolní náměstí 27', city: 'Olomouc', postalCode: '779 00', country: 'CZ' },
    registrationNumber: '29110564',
    taxId: 'CZ29110564',
    language: 'cs',
  },
  {
    key: 'cermak',
    kind: business,
    name: 'Kovárna Čermák & Ježek v.o.s.',
    contactPerson: 'Luděk Čermák',
    email: 'ludek.cermak@kovarna-cermak.example',
    phone: '',
    address: { street: 'Nádražní 1024', city: 'České Budějovice', postalCode: '370 01', country: 'CZ' },
    registrationNumber: '04358716',
    taxId: 'CZ04358716',
    language: 'cs',
  },
  {
    key: 'harbour',
    kind: business,
    name: 'Harbour & Hale Consulting Ltd.',
    contactPerson: 'Siobhán O’Connor',
    email: 'accounts@harbour-hale.example',
    phone: '',
    address: { street: '14 Fitzwilliam Square', city: 'Dublin 2', postalCode: 'D02 X285', country: 'IE' },
    registrationNumber: '612345',
    taxId: 'IE6388047V',
    language: 'en',
  },
  {
    key: 'gesla',
    kind: business,
    name: 'Zakład Usługowy Gęśla Źródło sp. z o.o.',
    contactPerson: 'Grażyna Gęśla',
    email: 'biuro@gesla-zrodlo.example',
    phone: '',
    address: { street: 'ul. Świętokrzyska 14', city: 'Warszawa', postalCode: '00-050', country: 'PL' },
    registrationNumber: '012345675',
    taxId: '5260250274',
    language: 'pl',
  },
  {
    key: 'zolkiewski',
    kind: business,
    name: 'Łukasz Żółkiewski Usługi Transportowe',
    contactPerson: 'Łukasz Żółkiewski',
    email: 'lukasz.zolkiewski@zolkiewski-transport.example',
    phone: '',
    address: { street: 'ul. Piotrkowska 120', city: 'Łódź', postalCode: '90-006', country: 'PL' },
    registrationNumber: '471234569',
    taxId: '7270012347',
    language: 'pl',
  },
  {
    key: 'mlyny',
    kind: business,
    name: 'Śląskie Młyny Zbożowe S.A.',
    contactPerson: 'Zbigniew Kołodziej',
    email: 'zbigniew.kolodziej@slaskie-mlyny.example',
    phone: '',
    address: { street: 'ul. Mariacka 3', city: 'Katowice', postalCode: '40-014', country: 'PL' },
    registrationNumber: '276543212',
    taxId: '7790023452',
    language: 'pl',
  },
  {
    key: 'buleczka',
    kind: business,
    name: 'Piekarnia Bułeczka s.c. Agnieszka i Marek Woźniak',
    contactPerson: 'Agnieszka Woźniak',
    email: 'sklep@buleczka-torun.example',
    phone: '',
    address: { street: 'ul. Szeroka 41', city: 'Toruń', postalCode: '87-100', country: 'PL' },
    registrationNumber: '356123451',
    taxId: '6770042138',
    language: 'pl',
  },
  {
    key: 'novackova',
    kind: employee,
    name: 'Kateřina Nováčková',
    contactPerson: 'Kateřina Nováčková',
    email: 'katerina.novackova@posta-demo.example',
    phone: '+420 603 412 785',
    address: { street: 'Vinohradská 1511/48', city: 'Praha 2', postalCode: '120 00', country: 'CZ' },
    registrationNumber: '',
    taxId: '',
    language: 'cs',
  },
  {
    key: 'ruzicka-jiri',
    kind: employee,
    name: 'Jiří Růžička',
    contactPerson: 'Jiří Růžička',
    email: 'jiri.ruzicka@posta-demo.example',
    phone: '+420 731 208 466',
    address: { street: '28. října 3346/91', city: 'Ostrava', postalCode: '702 00', country: 'CZ' },
    registrationNumber: '',
    taxId: '',
    language: 'cs',
  },
  {
    key: 'wojcik',
    kind: employee,
    name: 'Małgorzata Wójcik-Zięba',
    contactPerson: 'Małgorzata Wójcik-Zięba',
    email: 'malgorzata.wojcik@poczta-demo.example',
    phone: '+48 601 234 517',
    address: { street: 'ul. Długa 5 m. 12', city: 'Gdańsk', postalCode: '80-827', country: 'PL' },
    registrationNumber: '',
    taxId: '',
    language: 'pl',
  },
  {
    key: 'slezak',
    kind: employee,
    name: 'Ryszard Ślęzak',
    contactPerson: 'Ryszard Ślęzak',
    email: 'ryszard.slezak@poczta-demo.example',
    phone: '+48 512 880 341',
    address: { street: 'ul. Źródlana 8', city: 'Poznań', postalCode: '61-813', country: 'PL' },
    registrationNumber: '',
    taxId: '',
    language: 'pl',
  },
];

/** One sellable item of the office's price list. */
export interface CatalogItem {
  readonly description: string;
  readonly unit: string;
  readonly unitPriceMinor: number;
  readonly vatRatePercent: number;
  /** Quantities (thousandths) the seed cycles through. */
  readonly quantitiesMilli: readonly number[];
}

/** Currency, price list and fixed texts of invoices in one partner language. */
export interface DemoLocale {
  readonly currency: string;
  readonly catalog: readonly CatalogItem[];
  readonly invoiceNote: string;
  readonly creditReason: string;
  readonly creditLinePrefix: string;
  readonly reminderDebt: string;
  readonly reminderFee: { readonly description: string; readonly amountMinor: number };
  readonly reminderNote: string;
  readonly pieceUnit: string;
}

/** Invoice texts and price lists by partner language (CZ VAT 21/12/0, PL VAT 23/8/5). */
export const demoLocales: Readonly<Record<Language, DemoLocale>> = {
  cs: {
    currency: 'CZK',
    catalog: [
      {
        description: 'Vedení účetnictví – měsíční paušál',
        unit: 'měs.',
        unitPriceMinor: 650_000,
        vatRatePercent: 21,
        quantitiesMilli: [1000],
      },
      {
        description: 'Zpracování mezd',
        unit: 'os.',
        unitPriceMinor: 45_000,
        vatRatePercent: 21,
        quantitiesMilli: [3000, 7000, 12_000],
      },
      {
        description: 'Daňové poradenství',
        unit: 'hod.',
        unitPriceMinor: 180_000,
        vatRatePercent: 21,
        quantitiesMilli: [1500, 2500, 4000],
      },
      {
        description: 'Odborná publikace „Účetnictví a daně 2026“',
        unit: 'ks',
        unitPriceMinor: 49_000,
        vatRatePercent: 0,
        quantitiesMilli: [1000, 2000],
      },
      {
        description: 'Občerstvení na semináři',
        unit: 'os.',
        unitPriceMinor: 18_050,
        vatRatePercent: 12,
        quantitiesMilli: [6000, 9000],
      },
      {
        description: 'Jízdné – cesta ke klientovi',
        unit: 'km',
        unitPriceMinor: 580,
        vatRatePercent: 21,
        quantitiesMilli: [84_000, 126_500],
      },
    ],
    invoiceNote: 'Děkujeme za spolupráci.',
    creditReason: 'Důvod opravy: reklamace – sleva z ceny plnění.',
    creditLinePrefix: 'Oprava – ',
    reminderDebt: 'Dlužná částka z faktury',
    reminderFee: { description: 'Náklady spojené s uplatněním pohledávky', amountMinor: 120_000 },
    reminderNote: 'Pokud jste již zaplatili, považujte prosím tuto upomínku za bezpředmětnou.',
    pieceUnit: 'ks',
  },
  pl: {
    currency: 'PLN',
    catalog: [
      {
        description: 'Prowadzenie ksiąg rachunkowych – abonament miesięczny',
        unit: 'mies.',
        unitPriceMinor: 180_000,
        vatRatePercent: 23,
        quantitiesMilli: [1000],
      },
      {
        description: 'Obsługa kadrowo-płacowa',
        unit: 'os.',
        unitPriceMinor: 9_000,
        vatRatePercent: 23,
        quantitiesMilli: [4000, 11_000],
      },
      {
        description: 'Doradztwo podatkowe',
        unit: 'godz.',
        unitPriceMinor: 35_000,
        vatRatePercent: 23,
        quantitiesMilli: [1500, 3000],
      },
      {
        description: 'Sporządzenie deklaracji JPK_V7M',
        unit: 'szt.',
        unitPriceMinor: 25_000,
        vatRatePercent: 23,
        quantitiesMilli: [1000],
      },
      {
        description: 'Książka „Podatki w praktyce 2026”',
        unit: 'szt.',
        unitPriceMinor: 8_990,
        vatRatePercent: 5,
        quantitiesMilli: [1000, 3000],
      },
      {
        description: 'Catering podczas szkolenia',
        unit: 'os.',
        unitPriceMinor: 4_515,
        vatRatePercent: 8,
        quantitiesMilli: [8000, 14_000],
      },
    ],
    invoiceNote: 'Dziękujemy za współpracę.',
    creditReason: 'Przyczyna korekty: rabat udzielony po reklamacji.',
    creditLinePrefix: 'Korekta – ',
    reminderDebt: 'Należność z faktury',
    reminderFee: { description: 'Rekompensata za koszty odzyskiwania należności', amountMinor: 17_000 },
    reminderNote: 'Jeżeli należność została już uregulowana, prosimy uznać niniejsze wezwanie za bezzasadne.',
    pieceUnit: 'szt.',
  },
  en: {
    currency: 'EUR',
    catalog: [
      {
        description: 'Bookkeeping services – Czech branch',
        unit: 'month',
        unitPriceMinor: 95_000,
        vatRatePercent: 0,
        quantitiesMilli: [1000],
      },
      {
        description: 'Payroll processing',
        unit: 'person',
        unitPriceMinor: 2_500,
        vatRatePercent: 0,
        quantitiesMilli: [5000, 8000],
      },
      { description: 'Tax advisory', unit: 'hour', unitPriceMinor: 9_000, vatRatePercent: 0, quantitiesMilli: [2000, 3500] },
    ],
    invoiceNote: 'Reverse charge – VAT to be accounted for by the customer (Art. 196 of Directive 2006/112/EC).',
    creditReason: 'Reason: agreed discount after review.',
    creditLinePrefix: 'Correction – ',
    reminderDebt: 'Outstanding amount of invoice',
    reminderFee: { description: 'Compensation for recovery costs (Directive 2011/7/EU)', amountMinor: 4_000 },
    reminderNote: 'If you have already paid, please disregard this reminder.',
    pieceUnit: 'pc',
  },
};

/** A small, valid ISDOC 6.0.2 invoice (one 21 % line) for the import benchmark; `n` makes number and UUID unique. */
export function isdocInvoice(n: number, supplier: { ico: string; name: string }): string {
  const id = String(n).padStart(6, '0');
  const uuid = `6F1B0C2E-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const party = (ico: string, name: string, email: string) => `<Party>
      <PartyIdentification><ID>${ico}</ID></PartyIdentification>
      <PartyName><Name>${name}</Name></PartyName>
      <PostalAddress><StreetName>Husova</StreetName><BuildingNumber>5</BuildingNumber><CityName>Brno</CityName><PostalZone>60200</PostalZone>
        <Country><IdentificationCode>CZ</IdentificationCode><Name>Česká republika</Name></Country></PostalAddress>
      <PartyTaxScheme><CompanyID>CZ${ico}</CompanyID><TaxScheme>VAT</TaxScheme></PartyTaxScheme>
      <Contact><ElectronicMail>${email}</ElectronicMail></Contact>
    </Party>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="http://isdoc.cz/namespace/2013" version="6.0.2">
  <DocumentType>1</DocumentType>
  <ID>FV-2026-${id}</ID>
  <UUID>${uuid}</UUID>
  <IssueDate>2026-11-03</IssueDate>
  <TaxPointDate>2026-11-03</TaxPointDate>
  <VATApplicable>true</VATApplicable>
  <LocalCurrencyCode>CZK</LocalCurrencyCode>
  <CurrRate>1</CurrRate>
  <RefCurrRate>1</RefCurrRate>
  <AccountingSupplierParty>${party(supplier.ico, supplier.name, 'fakturace@dodavatel.example')}</AccountingSupplierParty>
  <AccountingCustomerParty>${party('25796101', `Odběratel ${String(n % 50)} s.r.o.`, `odberatel${String(n % 50)}@firma.example`)}</AccountingCustomerParty>
  <InvoiceLines>
    <InvoiceLine>
      <ID>1</ID>
      <InvoicedQuantity unitCode="h">2</InvoicedQuantity>
      <LineExtensionAmount>2000.00</LineExtensionAmount>
      <LineExtensionAmountTaxInclusive>2420.00</LineExtensionAmountTaxInclusive>
      <LineExtensionTaxAmount>420.00</LineExtensionTaxAmount>
      <UnitPrice>1000.00</UnitPrice>
      <UnitPriceTaxInclusive>1210.00</UnitPriceTaxInclusive>
      <ClassifiedTaxCategory><Percent>21</Percent><VATCalculationMethod>0</VATCalculationMethod></ClassifiedTaxCategory>
      <Item><Description>Vedení účetnictví</Description></Item>
    </InvoiceLine>
  </InvoiceLines>
  <TaxTotal>
    <TaxSubTotal><TaxableAmount>2000.00</TaxableAmount><TaxAmount>420.00</TaxAmount><TaxInclusiveAmount>2420.00</TaxInclusiveAmount>
      <AlreadyClaimedTaxableAmount>0</AlreadyClaimedTaxableAmount><AlreadyClaimedTaxAmount>0</AlreadyClaimedTaxAmount>
      <AlreadyClaimedTaxInclusiveAmount>0</AlreadyClaimedTaxInclusiveAmount><DifferenceTaxableAmount>2000.00</DifferenceTaxableAmount>
      <DifferenceTaxAmount>420.00</DifferenceTaxAmount><DifferenceTaxInclusiveAmount>2420.00</DifferenceTaxInclusiveAmount>
      <TaxCategory><Percent>21</Percent></TaxCategory></TaxSubTotal>
    <TaxAmount>420.00</TaxAmount>
  </TaxTotal>
  <LegalMonetaryTotal>
    <TaxExclusiveAmount>2000.00</TaxExclusiveAmount>
    <TaxInclusiveAmount>2420.00</TaxInclusiveAmount>
    <AlreadyClaimedTaxExclusiveAmount>0</AlreadyClaimedTaxExclusiveAmount>
    <AlreadyClaimedTaxInclusiveAmount>0</AlreadyClaimedTaxInclusiveAmount>
    <DifferenceTaxExclusiveAmount>2000.00</DifferenceTaxExclusiveAmount>
    <DifferenceTaxInclusiveAmount>2420.00</DifferenceTaxInclusiveAmount>
    <PayableRoundingAmount>0</PayableRoundingAmount>
    <PaidDepositsAmount>0</PaidDepositsAmount>
    <PayableAmount>2420.00</PayableAmount>
  </LegalMonetaryTotal>
  <PaymentMeans><Payment><PaidAmount>2420.00</PaidAmount><PaymentMeansCode>42</PaymentMeansCode>
    <Details><PaymentDueDate>2026-11-17</PaymentDueDate><ID>2801234578</ID><BankCode>2010</BankCode><Name>Fio banka</Name>
      <IBAN>CZ6520100000002801234578</IBAN><BIC>FIOBCZPPXXX</BIC><VariableSymbol>2026${id}</VariableSymbol></Details></Payment></PaymentMeans>
</Invoice>
`;
}

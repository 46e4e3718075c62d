import { describe, expect, it } from 'vitest';
import { ImportRejection } from '../../../../electron/services/imports/import-error';
import { at, attribute, child, parseXml } from '../../../../electron/services/imports/xml-input';

describe('parseXml', () => {
  it('reads escaped text as the text it stands for: the five entities and character references, once', () => {
    const root = parseXml(
      '<Invoice><Name note="R&amp;D &quot;A&quot;">Bílá &amp; Čížek &lt;s.r.o.&gt; &#x10D;&#233; &apos;x&apos; &amp;lt;</Name>' +
        '<Note><![CDATA[&amp; as written]]></Note></Invoice>',
    );
    const invoice = child(root, 'Invoice');
    expect(at(invoice, 'Name')).toBe("Bílá & Čížek <s.r.o.> čé 'x' &lt;");
    expect(attribute(child(invoice, 'Name'), 'note')).toBe('R&D "A"');
    expect(at(invoice, 'Note')).toBe('&amp; as written');
  });

  it('still refuses a document type declaration, so a file cannot define entities of its own', () => {
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x "boom">]><a>&x;</a>')).toThrow(ImportRejection);
  });
});

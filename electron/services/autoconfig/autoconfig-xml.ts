/**
 * A deliberately tiny XML reader for Thunderbird-style config-v1.1.xml: elements, attributes, text. No
 * DTD, no external entities, bounded depth and size, so a hostile autoconfig server cannot make it
 * expand, fetch or grow without limit.
 */

/** The trimmed text of the first child element called `name`. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find((child) => child.name === name)?.text.trim();
}

/** An element of the tiny XML subset config-v1.1.xml uses. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const xmlEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const maxDepth = 32;
const maxElements = 10_000;

/**
 * Parses well-formed XML without a DTD into elements and their text; null for anything else. Safe by
 * omission: no DOCTYPE (so no entity expansion or external fetch), only the five predefined entities and
 * character references, and bounded depth and size.
 */
export function parseXml(input: string): XmlElement | null {
  const text = input.replace(/^\uFEFF/, '');
  const decode = (raw: string): string | null => {
    // Every `&` must start one of the five predefined entities or a character reference.
    if (/&(?!(?:#x[0-9a-fA-F]{1,6}|#\d{1,7}|amp|lt|gt|quot|apos);)/.test(raw)) return null;
    const points = [...raw.matchAll(/&#(x?)([0-9a-fA-F]+);/g)].map(([, hex, digits = '']) =>
      parseInt(digits, hex === 'x' ? 16 : 10),
    );
    if (points.some((point) => point === 0 || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff))) return null;
    return raw.replace(/&(#x?[0-9a-fA-F]+|[a-z]+);/g, (_all, ref: string) =>
      ref.startsWith('#')
        ? String.fromCodePoint(parseInt(ref.slice(ref.startsWith('#x') ? 2 : 1), ref.startsWith('#x') ? 16 : 10))
        : (xmlEntities[ref] ?? ''),
    );
  };
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const chunk = text.slice(at, lt === -1 ? text.length : lt);
    const current = stack[stack.length - 1];
    if (chunk.trim() !== '') {
      const decoded = decode(chunk);
      if (!current || decoded === null) return null;
      current.text += decoded;
    }
    if (lt === -1) break;
    const rest = text.slice(lt);
    let end: number;
    if (rest.startsWith('<!--')) {
      end = text.indexOf('-->', lt + 4) + 3;
    } else if (rest.startsWith('<![CDATA[')) {
      const close = text.indexOf(']]>', lt);
      if (!current || close === -1) return null;
      current.text += text.slice(lt + 9, close);
      end = close + 3;
    } else if (rest.startsWith('<?')) {
      if (root !== null || stack.length > 0) return null;
      end = text.indexOf('?>', lt) + 2;
    } else if (rest.startsWith('<!')) {
      return null; // DOCTYPE, ENTITY and friends: refused outright.
    } else {
      const tag = /^<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(rest);
      if (!tag) return null;
      const [whole, closing, name = '', attributeText = '', selfClosing] = tag;
      end = lt + whole.length;
      if (closing === '/') {
        if (selfClosing === '/' || attributeText !== '' || stack.pop()?.name !== name) return null;
      } else {
        if (stack.length >= maxDepth || ++count > maxElements || (current === undefined && root !== null)) return null;
        const attributes = new Map<string, string>();
        for (const match of attributeText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
          const value = decode(match[2] ?? match[3] ?? '');
          if (value === null || attributes.has(match[1] ?? '')) return null;
          attributes.set(match[1] ?? '', value);
        }
        const element: XmlElement = { name, attributes, children: [], text: '' };
        if (current) current.children.push(element);
        else root = element;
        if (selfClosing !== '/') stack.push(element);
      }
    }
    if (end < lt + 2) return null; // an unterminated comment or processing instruction
    at = end;
  }
  return stack.length === 0 ? root : null;
}

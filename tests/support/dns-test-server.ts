/**
 * A tiny authoritative DNS server on UDP 127.0.0.1 for tests: answers SRV, MX, A, AAAA and TXT questions
 * from a fixed zone, NODATA for a known name asked for another type, NXDOMAIN otherwise. `silent` makes it
 * swallow every query, to test timeouts. Point a real `new Resolver()` at it with `setServers`.
 */
import dgram from 'node:dgram';

/** An SRV answer. */
export interface TestSrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** The target host; `.` means "service not offered" (RFC 2782). */
  readonly target: string;
}

/** An MX answer. */
export interface TestMxRecord {
  readonly priority: number;
  readonly exchange: string;
}

/** The records served, keyed by owner name (ASCII, any case, no trailing dot). */
export interface TestZone {
  readonly srv?: Readonly<Record<string, readonly TestSrvRecord[]>>;
  readonly mx?: Readonly<Record<string, readonly TestMxRecord[]>>;
  readonly a?: Readonly<Record<string, readonly string[]>>;
  /** IPv6 addresses in hex-group form (`2001:db8::25`); an embedded IPv4 tail is not supported. */
  readonly aaaa?: Readonly<Record<string, readonly string[]>>;
  /** One string per TXT record, sent as UTF-8 and split into character-strings of at most 255 bytes. */
  readonly txt?: Readonly<Record<string, readonly string[]>>;
}

/** A running test DNS server. */
export interface DnsTestServer {
  readonly port: number;
  /** `name/TYPE` of every question received, in order. */
  readonly queries: string[];
  close(): Promise<void>;
}

const typeA = 1;
const typeMx = 15;
const typeTxt = 16;
const typeAaaa = 28;
const typeSrv = 33;
const typeNames: Readonly<Record<number, string>> = {
  [typeA]: 'A',
  [typeMx]: 'MX',
  [typeTxt]: 'TXT',
  [typeAaaa]: 'AAAA',
  [typeSrv]: 'SRV',
};

function encodeName(name: string): Buffer {
  const labels = name
    .replace(/\.$/, '')
    .split('.')
    .filter((label) => label !== '');
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function uint16(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((value, index) => buffer.writeUInt16BE(value, index * 2));
  return buffer;
}

/** The 16 bytes of an IPv6 address written as hex groups, `::` allowed once. */
function ipv6Bytes(ip: string): Buffer {
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const [head = '', tail] = ip.split('::');
  const before = groups(head);
  const after = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - before.length - after.length }, () => '0');
  const all = [...before, ...zeros, ...after];
  if (all.length !== 8 || !all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) throw new Error(`not an IPv6 address: ${ip}`);
  return uint16(...all.map((group) => parseInt(group, 16)));
}

/** A TXT record's rdata: the text cut into length-prefixed character-strings of up to 255 bytes. */
function txtRdata(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  // An empty text is still one (empty) character-string.
  for (let at = 0; at === 0 || at < bytes.length; at += 255) {
    const chunk = bytes.subarray(at, at + 255);
    chunks.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(chunks);
}

/** Reads the question; null for anything that is not one plain, uncompressed question. */
function readQuestion(packet: Buffer): { name: string; type: number; end: number } | null {
  if (packet.length < 12 || packet.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const length = packet[at];
    if (length === undefined || length > 63) return null;
    at++;
    if (length === 0) break;
    if (at + length > packet.length) return null;
    labels.push(packet.toString('ascii', at, at + length));
    at += length;
  }
  if (at + 4 > packet.length) return null;
  return { name: labels.join('.').toLowerCase(), type: packet.readUInt16BE(at), end: at + 4 };
}

function answers(zone: TestZone, name: string, type: number): Buffer[] {
  const pick = <T>(table: Readonly<Record<string, readonly T[]>> | undefined): readonly T[] =>
    Object.entries(table ?? {}).find(([owner]) => owner.toLowerCase() === name)?.[1] ?? [];
  if (type === typeSrv) {
    return pick(zone.srv).map((r) =>
      Buffer.concat([uint16(r.priority, r.weight, r.port), r.target === '.' ? Buffer.from([0]) : encodeName(r.target)]),
    );
  }
  if (type === typeMx) return pick(zone.mx).map((r) => Buffer.concat([uint16(r.priority), encodeName(r.exchange)]));
  if (type === typeA) return pick(zone.a).map((ip) => Buffer.from(ip.split('.').map(Number)));
  if (type === typeAaaa) return pick(zone.aaaa).map(ipv6Bytes);
  if (type === typeTxt) return pick(zone.txt).map(txtRdata);
  return [];
}

function knows(zone: TestZone, name: string): boolean {
  return [zone.srv, zone.mx, zone.a, zone.aaaa, zone.txt].some((table) =>
    Object.keys(table ?? {}).some((owner) => owner.toLowerCase() === name),
  );
}

function respond(zone: TestZone, query: Buffer, question: { name: string; type: number; end: number }): Buffer {
  const rdatas = answers(zone, question.name, question.type);
  const rcode = rdatas.length === 0 && !knows(zone, question.name) ? 3 : 0; // 3: NXDOMAIN
  const requestFlags = query.readUInt16BE(2);
  // QR, the query's opcode and RD, AA and RA set.
  const flags = 0x8000 | (requestFlags & 0x7900) | 0x0400 | 0x0080 | rcode;
  const header = Buffer.concat([query.subarray(0, 2), uint16(flags, 1, rdatas.length, 0, 0)]);
  const records = rdatas.map((rdata) =>
    // 0xC00C points at the question's name; class IN; TTL 60 s.
    Buffer.concat([uint16(0xc00c, question.type, 1), Buffer.from([0, 0, 0, 60]), uint16(rdata.length), rdata]),
  );
  return Buffer.concat([header, query.subarray(12, question.end), ...records]);
}

/** Starts the server on a free UDP port of 127.0.0.1. */
export async function startDnsTestServer(zone: TestZone, options: { readonly silent?: boolean } = {}): Promise<DnsTestServer> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (packet, remote) => {
    const question = readQuestion(packet);
    if (!question) return;
    queries.push(`${question.name}/${typeNames[question.type] ?? String(question.type)}`);
    if (options.silent === true) return;
    socket.send(respond(zone, packet, question), remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  return {
    port: socket.address().port,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      }),
  };
}

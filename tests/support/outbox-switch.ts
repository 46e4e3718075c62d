/**
 * What the outbox-switch tests share: the office-database choice that reaches a private PostgreSQL given
 * by its connection string, and a stand-in for the outbox worker that only records whether it runs (the
 * switch's own behaviour is under test, not delivery).
 */
export function officeChoiceFor(connectionString: string) {
  const url = new URL(connectionString);
  return {
    kind: 'postgres',
    host: url.hostname,
    port: Number(url.port),
    database: url.pathname.slice(1),
    user: decodeURIComponent(url.username),
    tls: 'off',
    trustedCertificate: '',
  } as const;
}

/** A worker that counts its starts and says whether it runs. */
export function standInWorker() {
  let running = false;
  let starts = 0;
  return {
    start: () => {
      starts += 1;
      running = true;
    },
    stop: () => {
      running = false;
      return Promise.resolve();
    },
    get running() {
      return running;
    },
    get starts() {
      return starts;
    },
  };
}

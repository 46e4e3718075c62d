/**
 * The files a window may ask to show in the file manager: only those Kurier itself wrote in this
 * session (an exported PDF, a hand-off copy). A window cannot make main reveal — and so open a folder
 * view of — any path it likes.
 */

// Enough for a day of work in one session; the oldest are forgotten first.
const kept = 200;

/** Paths written in this session, newest last. */
export class RevealableFiles {
  readonly #paths = new Set<string>();

  /** Records a file Kurier wrote. */
  add(filePath: string): void {
    this.#paths.delete(filePath);
    this.#paths.add(filePath);
    for (const oldest of this.#paths) {
      if (this.#paths.size <= kept) break;
      this.#paths.delete(oldest);
    }
  }

  /** Whether `filePath` is one of them (exactly: no normalising a window's string into another path). */
  has(filePath: string): boolean {
    return this.#paths.has(filePath);
  }
}

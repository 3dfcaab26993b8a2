// A reusable read buffer: paged reads land in it, and so do packed band reads. Files that are never read
// at the same time can share one (a store's pyramid levels: a query reads one level), so a process holds
// one buffer per role instead of one per file (7 levels × 4 files of ~1-2 MB each, measured ~50 MiB per helper).

export class ReadScratch {
  private buf = new Uint8Array(0);

  /** `n` bytes of the buffer (grown when short, at least doubling): valid until the next call by any sharer. */
  bytes(n: number): Uint8Array {
    if (this.buf.length < n) this.buf = new Uint8Array(new ArrayBuffer(Math.max(n, this.buf.length * 2, 4096)));
    return this.buf.subarray(0, n);
  }
}

// Asks the kernel to back a big, not yet touched array with transparent huge pages (madvise
// MADV_HUGEPAGE), as NumPy does for its big arrays. Where THP is "madvise"-only (the default of many
// distributions, ours included), fresh memory otherwise costs one page fault per 4 KiB on first touch:
// ~13 µs each on our VMs, 0.9 s for the 280 MB a 10 M-entry sparse conversion fills — more than the
// work that fills it. With the advice the kernel faults 2 MiB at a time.
// Only a hint: it does nothing where mmap-io is unavailable, on other systems, or when madvise refuses.
import { mmapIo } from './mmap-io';

const MADV_HUGEPAGE = 14; // Linux
/** Below this an array gains too little to be worth a system call. */
const MIN_BYTES = 4 << 20;

/** Cleared when madvise refused every offset (a kernel without THP): no more tries. */
let supported = true;

/** Returns true when the advice was taken for (the whole pages of) `a`'s memory. */
export function adviseHugePages(a: ArrayBufferView): boolean {
  if (!supported || process.platform !== 'linux' || a.byteLength < MIN_BYTES) return false;
  const io = mmapIo();
  if (!io) return false;
  const page = io.PAGESIZE;
  const buf = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  // madvise wants a page-aligned start, and JS cannot see the address: try the offsets where a page
  // boundary can fall (big allocations come from mmap with a 16-byte header, so 4080 first).
  for (let o = page - 16, tried = 0; tried < page / 8; tried++, o = (o + 8) % page) {
    const len = Math.floor((a.byteLength - o) / page) * page;
    if (len <= 0) continue;
    try { io.advise(buf, o, len, MADV_HUGEPAGE); return true; } catch { /* not page-aligned there (EINVAL) */ }
  }
  supported = false;
  return false;
}

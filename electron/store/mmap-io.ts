// The optional native module @riaskov/mmap-io, loaded on first use (null where it is not built for this
// runtime, e.g. an Electron without a rebuilt addon): file mappings for the engine's mapped reads, and
// madvise on memory we own.
export interface MmapIo {
  map(size: number, prot: number, flags: number, fd: number, offset?: number, advise?: number): Buffer;
  advise(buf: Buffer, offset: number, length: number, advise: number): void;
  advise(buf: Buffer, advise: number): void;
  PROT_READ: number; MAP_SHARED: number; MADV_NORMAL: number; MADV_RANDOM: number; MADV_SEQUENTIAL: number;
  MADV_WILLNEED: number; MADV_DONTNEED: number; PAGESIZE: number;
}

let mmapModule: MmapIo | null | undefined;

export function mmapIo(): MmapIo | null {
  if (mmapModule === undefined) {
    try { mmapModule = require('@riaskov/mmap-io') as MmapIo; } catch { mmapModule = null; }
  }
  return mmapModule;
}

/**
 * Inode numbers as the walk's stat records keep them: doubles, exact up to 2^53. A module of its
 * own: the walker and the ncdu reader import it, and walkJob.ts imports ncdu.ts.
 */

/** What inodeNumber keeps whole of a large inode number: its low 37 bits. */
const LOW_BITS = 37n

/**
 * An inode number as a stat record keeps it (a double), telling files apart: itself up to
 * 2^53 − 1. Above, a double would round it, and neighbouring files' hard links would be counted
 * as one file's, so its top 16 bits are moved down onto bits 37 to 52, over its low 37. The two
 * file systems that give such numbers keep what tells files apart in those bits: NTFS (a file id
 * is a 48-bit MFT record number under a 16-bit count of the record's reuses) and overlayfs with
 * xino (a layer's number in the top bits over the inode number in that layer). Node's bigint stat
 * gives numbers of 2^63 and more as negative: they are read as the unsigned 64 bits they are. The
 * native helper keeps them the same way (inode_number in native/src/yield_lab_native.c).
 */
export function inodeNumber(ino: bigint): number {
  const unsigned = BigInt.asUintN(64, ino)
  if (unsigned <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(unsigned)
  return Number(((unsigned >> 48n) << LOW_BITS) | (unsigned & ((1n << LOW_BITS) - 1n)))
}

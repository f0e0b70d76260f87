/**
 * Random bytes from node:crypto, drawn from a refilled block. `randomBytes(16)` costs about 5 µs per call here
 * (a fixed cost per call into OpenSSL, measured in docs/capacity.md) while filling 4 KiB costs the same, so
 * code ids come from a block. Each call returns a fresh copy, never a view of the block.
 */
import { randomFillSync } from 'node:crypto';

export class RandomPool {
  private readonly block: Uint8Array;
  private pos: number;

  constructor(size = 4096) {
    this.block = new Uint8Array(size);
    this.pos = size;
  }

  take(n: number): Uint8Array {
    if (n > this.block.length) throw new RangeError('request larger than the pool');
    if (this.pos + n > this.block.length) {
      randomFillSync(this.block);
      this.pos = 0;
    }
    const out = this.block.slice(this.pos, this.pos + n);
    // Bytes handed out are wiped from the block, so no later copy can repeat them.
    this.block.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

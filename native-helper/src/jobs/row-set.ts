/** Which rows of an image have arrived, or have been sent; a row counts once however often it comes. */
export class RowSet {
  private readonly seen: Uint8Array;
  private counted = 0;

  constructor(readonly height: number) {
    this.seen = new Uint8Array(height);
  }

  add(top: number, rows: number): void {
    for (let y = top; y < top + rows; y++) {
      if (this.seen[y]) continue;
      this.seen[y] = 1;
      this.counted++;
    }
  }

  get count(): number {
    return this.counted;
  }

  get complete(): boolean {
    return this.counted === this.height;
  }
}

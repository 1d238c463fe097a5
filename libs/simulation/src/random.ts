/**
 * A small seeded generator (sfc32, from PractRand) with normal and Student-t draws: the same seed
 * gives the same paths on every run, which makes simulations reproducible to the byte.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return (t >>> 0) / 4294967296;
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * Student-t with `dof` degrees of freedom (an integer >= 3), scaled to unit variance: fat tails
   * with the same standard deviation as a normal draw.
   */
  studentT(dof: number): number {
    let chi = 0;
    if (dof % 2 === 0) {
      // Chi-square with an even dof is twice a sum of dof/2 exponentials: one log of a product.
      let product = 1;
      for (let i = 0; i < dof / 2; i++) product *= 1 - this.next();
      chi = -2 * Math.log(product);
    } else {
      for (let i = 0; i < dof; i++) {
        const z = this.normal();
        chi += z * z;
      }
    }
    return (this.normal() / Math.sqrt(chi / dof)) * Math.sqrt((dof - 2) / dof);
  }
}

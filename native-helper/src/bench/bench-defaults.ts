/** `mend bench`'s defaults, apart from the command so that `mend --help` does not load the bench. */
export const DEFAULT_BENCH_DIR = 'bench-results';
/** The compact Real-ESRGAN net: the same weights in Mend's catalog and in the reference package. */
export const DEFAULT_BENCH_MODEL = 'realesr-animevideov3-x2';
export const BENCH_SIZES = [256, 512, 1024, 2048] as const;

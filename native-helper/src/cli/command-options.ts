import { InvalidArgumentError, Option } from 'commander';
import { PRECISIONS } from '../protocol';

/** Parses an option's value as a whole number from `min` to `max`, refusing anything else with the option's name. */
export function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** Parses an option's value as a number from 0 to 1, refusing anything else with the option's name. */
export function fraction(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} must be a number from 0 to 1`);
    return n;
  };
}

export const providerOption = () => new Option('--provider <p>', 'force an execution provider: cpu, webgpu, dml, coreml, cuda (env MEND_PROVIDER)');

export const precisionOption = () =>
  new Option('--precision <p>', 'numbers the models compute in: fp32 (default), int8 (the CPU provider only: faster, built on first use), fp16 (GPU providers only)').choices(
    PRECISIONS,
  );

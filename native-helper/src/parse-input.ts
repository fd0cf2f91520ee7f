import type { z } from 'zod';
import { describeIssues } from './protocol';

/**
 * Reads a value that crossed a process or thread boundary as `schema` describes it; anything else is
 * refused with what is wrong, the value named as `what`.
 */
export function parseInput<T>(value: unknown, schema: z.ZodType<T>, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${what} is invalid: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** `parseInput` for JSON text (a child's output, an argument, a file another program wrote). */
export function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
  return parseInput(json, schema, what);
}

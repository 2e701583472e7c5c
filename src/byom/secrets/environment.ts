/** Environment variables, passed in explicitly (never read from `process.env` by the stores). */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The variable's value, or undefined when it is missing or blank. */
export function variable(environment: Environment, name: string): string | undefined {
  const value = environment[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

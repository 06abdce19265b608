/** An input that cannot be used: which one, and what is wrong with it. Shared by every input parser. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly problem: string,
  ) {
    super(`Input '${input}' ${problem}`);
    this.name = 'InputError';
  }
}

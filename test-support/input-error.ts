// The InputError a call throws, for tests of input parsing; fails when it throws none or another error.
import { InputError } from '../src/input-error.js';

export function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('no InputError thrown');
}

import { InvalidArgumentError } from 'commander';

/** A whole number of at least `minimum`, for the option `name`. */
export function wholeNumber(name: string, minimum: number) {
  return (value: string): number => {
    if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number.`);
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < minimum) {
      throw new InvalidArgumentError(`${name} must be ${minimum} or more.`);
    }
    return number;
  };
}

/** A finite number greater than 0, for the option `name`. */
export function positiveNumber(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number <= 0) {
      throw new InvalidArgumentError(`${name} must be a number greater than 0.`);
    }
    return number;
  };
}

/** A whole number, negative allowed (an offset from the end). */
export function integerOffset(value: string): number {
  if (!/^-?[0-9]+$/.test(value.trim())) throw new InvalidArgumentError('offset must be a whole number.');
  return Number(value);
}

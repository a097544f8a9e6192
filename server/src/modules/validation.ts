import { checkName, checkSearch } from '@pulze/shared';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * A name as the product allows it (see `checkName` in shared): checked declaratively on GraphQL
 * inputs, with the same message the service would give.
 */
export function IsName(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && checkName(value, maxLength).ok,
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const result = typeof value === 'string' ? checkName(value, maxLength) : undefined;
          return result && !result.ok ? result.reason : 'Name must be a string.';
        },
      },
    },
    options,
  );
}

/** A search term as `checkSearch` in shared allows it (null and blank mean no search). */
export function IsSearchTerm(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isSearchTerm',
      validator: {
        validate: (value: unknown) => value == null || (typeof value === 'string' && checkSearch(value).ok),
        defaultMessage: (args) => {
          const value: unknown = args?.value;
          const result = typeof value === 'string' ? checkSearch(value) : undefined;
          return result && !result.ok ? result.reason : 'Search must be a string.';
        },
      },
    },
    options,
  );
}

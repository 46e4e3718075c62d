import type { MessageKey } from '../../shared/i18n';

const fieldProblems = [
  'invalidAddress',
  'required',
  'tooShort',
  'tooLong',
  'lineBreak',
  'invalidHost',
  'invalidPort',
  'invalidNumber',
  'notAbsolute',
  'unknownPlaceholder',
  'passwordTooShort',
  'ksefNumber',
  'ksefNumberChecksum',
  'invalidName',
  'tlsRequired',
  'invalidIco',
  'invalidNip',
  'invalidRegon',
  'invalidDic',
  'invalidIban',
  'invalidCountry',
  'keyOfOwnAccount',
] as const;

/** The message key that explains a field problem main reported (`fields.invalid` for one it does not know). */
export function fieldProblemKey(problem: string): MessageKey {
  const known = fieldProblems.find((candidate) => candidate === problem);
  return known ? `fields.${known}` : 'fields.invalid';
}

import { html, type TemplateResult } from 'lit';
import { textField } from '../shared/text-field.js';

/** A person's name as typed, used by sign-up and by the profile step. */
export interface Name {
  firstName: string;
  lastName: string;
}

export type NameProblems = Partial<Record<keyof Name, string>>;

export const NAME_MESSAGES = {
  firstName: 'Enter your first name.',
  lastName: 'Enter your last name.',
} as const;

/** Client-side check only: the server decides what a valid name is. */
export function nameProblems(name: Name): NameProblems {
  const problems: NameProblems = {};
  if (!name.firstName.trim()) problems.firstName = NAME_MESSAGES.firstName;
  if (!name.lastName.trim()) problems.lastName = NAME_MESSAGES.lastName;
  return problems;
}

export function trimmedName(name: Name): Name {
  return { firstName: name.firstName.trim(), lastName: name.lastName.trim() };
}

/** First and last name fields, with the test ids the e2e page objects select on. */
export function nameFields(
  name: Name,
  problems: NameProblems,
  onInput: (field: keyof Name, value: string) => void,
): TemplateResult {
  return html`
    ${textField({
      id: 'first-name',
      label: 'First name',
      value: name.firstName,
      testid: 'first-name-input',
      autocomplete: 'given-name',
      error: problems.firstName,
      onInput: (value) => onInput('firstName', value),
    })}
    ${textField({
      id: 'last-name',
      label: 'Last name',
      value: name.lastName,
      testid: 'last-name-input',
      autocomplete: 'family-name',
      error: problems.lastName,
      onInput: (value) => onInput('lastName', value),
    })}
  `;
}

import { msg } from '@lit/localize';
import { html, type TemplateResult } from 'lit';
import { textField } from '../shared/text-field.js';

/** A person's name as typed, used by sign-up and by the profile step. */
export interface Name {
  firstName: string;
  lastName: string;
}

export type NameProblems = Partial<Record<keyof Name, string>>;

/** Read when shown, so each is in the page's language. */
export const NAME_MESSAGES = {
  get firstName(): string {
    return msg('Enter your first name.', { id: 'auth.name.first.missing' });
  },
  get lastName(): string {
    return msg('Enter your last name.', { id: 'auth.name.last.missing' });
  },
};

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
      label: msg('First name', { id: 'auth.name.first.label' }),
      value: name.firstName,
      testid: 'first-name-input',
      autocomplete: 'given-name',
      error: problems.firstName,
      onInput: (value) => onInput('firstName', value),
    })}
    ${textField({
      id: 'last-name',
      label: msg('Last name', { id: 'auth.name.last.label' }),
      value: name.lastName,
      testid: 'last-name-input',
      autocomplete: 'family-name',
      error: problems.lastName,
      onInput: (value) => onInput('lastName', value),
    })}
  `;
}

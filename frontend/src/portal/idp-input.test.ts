import { describe, expect, it } from 'vitest';
import {
  IDP_MESSAGES,
  hasUntypable,
  metadataProblem,
  textProblem,
  urlProblem,
} from './idp-input.js';

describe('what an admin brings from the identity provider', () => {
  it('refuses control characters and lone surrogates, but keeps tabs, new lines and emoji', () => {
    expect(hasUntypable('line one\n\tline two\r\n')).toBe(false);
    expect(hasUntypable('Café ☕ 😀')).toBe(false);
    expect(hasUntypable('nul\u0000')).toBe(true);
    expect(hasUntypable('bell\u0007')).toBe(true);
    expect(hasUntypable('del\u007f')).toBe(true);
    expect(hasUntypable('lone \ud83d high')).toBe(true);
    expect(hasUntypable('lone \ude00 low')).toBe(true);
  });

  it('says which value is missing, too long or untypable', () => {
    expect(textProblem('', 'client ID')).toBe('Enter the client ID.');
    expect(textProblem('x'.repeat(257), 'client secret', 256)).toBe(
      'The client secret is too long.',
    );
    expect(textProblem('abc\u0001', 'client ID')).toBe(IDP_MESSAGES.control('client ID'));
    expect(textProblem('0oa1b2c3', 'client ID')).toBeNull();
  });

  it('takes https URLs, and http only on this computer', () => {
    expect(urlProblem('https://example.okta.com', 'issuer URL')).toBeNull();
    expect(urlProblem('http://localhost:8080/realms/x', 'issuer URL')).toBeNull();
    expect(urlProblem('http://idp.example.com', 'issuer URL')).toBe(IDP_MESSAGES.url('issuer URL'));
    expect(urlProblem('example.okta.com', 'issuer URL')).toBe(IDP_MESSAGES.url('issuer URL'));
    expect(urlProblem('', 'issuer URL')).toBe('Enter the issuer URL.');
  });

  it('takes only something shaped like an XML document as metadata', () => {
    expect(metadataProblem('')).toBe(IDP_MESSAGES.metadataMissing);
    expect(metadataProblem('https://idp.example.com/metadata')).toBe(IDP_MESSAGES.metadataNotXml);
    expect(metadataProblem('<?xml version="1.0"?><EntityDescriptor/>')).toBeNull();
    expect(metadataProblem(`<a>${'x'.repeat(1_000_001)}</a>`)).toBe(IDP_MESSAGES.metadataTooLong);
  });
});

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { IdentityProvider } from '../sso-api.js';
import { GUIDES, guideFor, providerInSentence } from './index.js';

const SDL = resolve(import.meta.dirname, '../../../../schema/schema.graphql');

function sdlProviders(): string[] {
  const type = buildSchema(readFileSync(SDL, 'utf8')).getType('IdentityProvider');
  if (!isEnumType(type)) throw new Error('IdentityProvider is not an enum in the SDL');
  return type.getValues().map(({ name }) => name);
}

describe('provider guides', () => {
  it('has one guide for every identity provider the schema names, in the picker order', () => {
    expect(GUIDES.map(({ id }) => id).sort()).toEqual(sdlProviders().sort());
    expect(GUIDES.map(({ label }) => label).slice(0, 3)).toEqual([
      'Okta',
      'Microsoft Entra ID',
      'Google Workspace',
    ]);
    expect(guideFor('ADFS').label).toBe('AD FS');
    expect(() => guideFor('NOPE' as IdentityProvider)).toThrow('No set-up guide for NOPE');
  });

  it('sets up SAML everywhere but the generic OIDC provider', () => {
    for (const guide of GUIDES) {
      expect(guide.protocol, guide.id).toBe(guide.id === 'GENERIC_OIDC' ? 'OIDC' : 'SAML');
    }
  });

  it.each(GUIDES.map((guide) => [guide.id, guide] as const))(
    '%s: numbered steps with text, our values each shown once, and one step to fill back',
    (_, guide) => {
      expect(guide.steps.length).toBeGreaterThanOrEqual(4);
      for (const step of guide.steps) {
        expect(step.title.length).toBeGreaterThan(5);
        expect(step.text.length).toBeGreaterThan(40);
      }
      const values = guide.steps.flatMap((step) => step.values ?? []);
      expect(new Set(values).size).toBe(values.length);
      expect(values).toContain('attributes');
      if (guide.protocol === 'SAML') {
        expect(values.includes('acsUrl') || values.includes('metadataUrl')).toBe(true);
        expect(values.includes('entityId') || values.includes('metadataUrl')).toBe(true);
        expect(values).toContain('nameIdFormat');
      } else {
        expect(values).toEqual(expect.arrayContaining(['redirectUri']));
      }
      const filling = guide.steps.filter((step) => step.fields?.length);
      expect(filling).toHaveLength(1);
      expect(filling[0].fields).toContain(guide.protocol === 'SAML' ? 'metadataXml' : 'issuer');
    },
  );

  it('names the menus of each provider’s own console', () => {
    const text = (id: IdentityProvider) =>
      guideFor(id)
        .steps.map((step) => step.text)
        .join(' ');
    expect(text('OKTA')).toContain('Audience URI (SP Entity ID)');
    expect(text('OKTA')).toContain('Create App Integration');
    expect(text('ENTRA_ID')).toContain('Identifier (Entity ID)');
    expect(text('ENTRA_ID')).toContain('Reply URL (Assertion Consumer Service URL)');
    expect(text('GOOGLE_WORKSPACE')).toContain('Add custom SAML app');
    expect(text('ADFS')).toContain('Relying Party Trust');
  });

  it('names a generic provider "your identity provider" in sentences', () => {
    expect(providerInSentence('OKTA')).toBe('Okta');
    expect(providerInSentence('GENERIC_SAML')).toBe('your identity provider');
    expect(providerInSentence('GENERIC_OIDC')).toBe('your identity provider');
  });
});

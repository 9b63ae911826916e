import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, isEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_PURPOSES, attributes } from './guide.js';
import { SCIM_GUIDES, scimGuideFor, type ScimProvider } from './index.js';

const SDL = resolve(import.meta.dirname, '../../../../schema/schema.graphql');

function sdlProviders(): string[] {
  const type = buildSchema(readFileSync(SDL, 'utf8')).getType('DirectoryProvider');
  if (!isEnumType(type)) throw new Error('DirectoryProvider is not an enum in the SDL');
  return type.getValues().map(({ name }) => name);
}

const text = (id: ScimProvider) =>
  scimGuideFor(id)
    .steps.map((step) => step.text)
    .join(' ');

describe('SCIM provider guides', () => {
  it('has one guide for every directory provider the schema names, in the picker order', () => {
    expect(SCIM_GUIDES.map(({ id }) => id).sort()).toEqual(sdlProviders().sort());
    expect(SCIM_GUIDES.map(({ label }) => label)).toEqual([
      'Okta',
      'Microsoft Entra ID',
      'OneLogin',
      'JumpCloud',
      'Google Workspace',
      'Other (SCIM 2.0)',
    ]);
    expect(() => scimGuideFor('NOPE' as ScimProvider)).toThrow('No SCIM guide for NOPE');
  });

  it.each(SCIM_GUIDES.map((guide) => [guide.id, guide] as const))(
    '%s: steps with text, the base URL and token pasted once each, six attributes, groups and a first push',
    (_, guide) => {
      expect(guide.steps.length).toBeGreaterThanOrEqual(3);
      for (const step of guide.steps) {
        expect(step.title.length).toBeGreaterThan(5);
        expect(step.text.length).toBeGreaterThan(40);
      }
      const values = guide.steps.flatMap((step) => step.values ?? []);
      expect(values.sort()).toEqual(['baseUrl', 'token']);
      expect(guide.attributes.map(({ scim }) => scim)).toEqual(Object.keys(ATTRIBUTE_PURPOSES));
      expect(guide.attributes.every(({ source }) => source.length > 0)).toBe(true);
      expect(guide.groups.length).toBeGreaterThan(40);
      expect(guide.firstPush.length).toBeGreaterThan(40);
      expect(guide.fieldLabels.baseUrl).not.toBe('');
      expect(guide.fieldLabels.token).not.toBe('');
    },
  );

  it('names the menus and fields of each provider’s own console', () => {
    expect(text('OKTA')).toContain('Provisioning to SCIM');
    expect(text('OKTA')).toContain('"SCIM connector base URL"');
    expect(text('OKTA')).toContain('"Unique identifier field for users"');
    expect(text('OKTA')).toContain('Push New Users, Push Profile Updates and Push Groups');
    expect(text('OKTA')).toContain('"Authentication Mode" to HTTP Header');
    expect(text('OKTA')).toContain('Create Users, Update User Attributes and Deactivate Users');
    expect(text('OKTA')).toContain('Push Groups tab');
    expect(text('ENTRA_ID')).toContain('Enterprise applications');
    expect(text('ENTRA_ID')).toContain('"Create your own application"');
    expect(text('ENTRA_ID')).toContain('"Provisioning Mode" to Automatic');
    expect(text('ENTRA_ID')).toContain('"Tenant URL"');
    expect(text('ENTRA_ID')).toContain('"Secret Token"');
    expect(text('ENTRA_ID')).toContain('"Test Connection"');
    expect(text('ENTRA_ID')).toContain('"Start provisioning"');
    expect(scimGuideFor('ENTRA_ID').firstPush).toContain('"Provision on demand"');
    expect(text('ONELOGIN')).toContain('SCIM Provisioner with SAML (SCIM v2 Enterprise)');
    expect(text('ONELOGIN')).toContain('"SCIM Bearer Token"');
    expect(text('ONELOGIN')).toContain('"Enable provisioning"');
    expect(text('JUMPCLOUD')).toContain('Identity Management tab');
    expect(text('JUMPCLOUD')).toContain('"Token Key"');
    expect(text('JUMPCLOUD')).toContain('Activate');
    expect(text('GOOGLE_WORKSPACE')).toContain('Apps > Web and mobile apps');
    expect(text('GOOGLE_WORKSPACE')).toContain('"Auto-provisioning"');
    expect(text('GENERIC')).toContain('"Authorization: Bearer"');
  });

  it('says plainly that Google provisions only supported apps, and what to do instead', () => {
    const { caveat } = scimGuideFor('GOOGLE_WORKSPACE');
    expect(caveat).toContain('supported apps');
    expect(caveat).toContain('"Other (SCIM 2.0)"');
    expect(SCIM_GUIDES.filter((guide) => guide.caveat).map(({ id }) => id)).toEqual([
      'GOOGLE_WORKSPACE',
    ]);
  });

  it('maps userName to the email everywhere, and refuses a guide missing an attribute', () => {
    for (const guide of SCIM_GUIDES) {
      expect(guide.attributes[0].source.toLowerCase(), guide.id).toMatch(/mail|principal/);
    }
    expect(() => attributes({ userName: 'email' })).toThrow('No source for emails');
  });
});

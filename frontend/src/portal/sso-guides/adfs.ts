import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** Active Directory Federation Services, a claims-aware relying party trust. */
export const adfs: ProviderGuide = {
  id: 'ADFS',
  label: 'AD FS',
  protocol: 'SAML',
  steps: [
    {
      title: 'Add a relying party trust',
      text: 'In AD FS Management, right-click "Relying Party Trusts" and choose "Add Relying Party Trust…". Choose "Claims aware" and select Start. On "Select Data Source", choose "Import data about the relying party published online or on a local network" and paste our metadata URL (or choose "Import data about the relying party from a file" with our metadata file).',
      values: ['metadataUrl', 'metadataFile'],
    },
    {
      title: 'Name it and choose who may sign in',
      text: 'Enter a "Display name". Under "Choose Access Control Policy", pick "Permit everyone" or "Permit specific group", then select Next and Close.',
    },
    {
      title: 'Send the attributes',
      text: 'Select the new trust and choose "Edit Claim Issuance Policy…" > "Add Rule…" > "Send LDAP Attributes as Claims". With the attribute store "Active Directory", map E-Mail-Addresses, Given-Name, Surname and "Token-Groups - Unqualified Names" to the outgoing claim types below (type each name into the box).',
      values: ['attributes'],
    },
    {
      title: 'Send the Name ID',
      text: 'Add a second rule, "Transform an Incoming Claim": incoming claim type E-Mail Address, outgoing claim type "Name ID", outgoing name ID format "Email".',
      values: ['nameIdFormat'],
    },
    {
      title: "Bring AD FS's metadata here",
      text: 'Open https://<your AD FS host>/FederationMetadata/2007-06/FederationMetadata.xml in a browser and save it as a file. Upload that file or paste its XML below, then save.',
      fields: SAML_FIELDS,
    },
  ],
};

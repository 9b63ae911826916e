import { SAML_FIELDS, type ProviderGuide } from './guide.js';

/** PingOne admin console, a SAML application. */
export const ping: ProviderGuide = {
  id: 'PING',
  label: 'Ping Identity',
  protocol: 'SAML',
  steps: [
    {
      title: 'Add a SAML application',
      text: 'In the PingOne admin console, open your environment and go to Applications > Applications. Select + (Add Application), enter an "Application Name", choose "SAML Application" and select Configure.',
    },
    {
      title: 'Give PingOne our SAML configuration',
      text: 'Choose "Import From URL" and paste our metadata URL, or "Import Metadata" with our metadata file, or "Manually Enter" with our ACS URL under "ACS URLs" and our entity ID under "Entity ID". Select Save.',
      values: ['metadataUrl', 'metadataFile', 'acsUrl', 'entityId'],
    },
    {
      title: 'Map the attributes',
      text: 'On the "Attribute Mappings" tab, select Edit. Map saml_subject to Email Address, then select "+ Add" for each name below with the PingOne attributes Email Address, Given Name, Family Name and Group Names. On the Configuration tab, set "Subject NameID Format" to the format below.',
      values: ['attributes', 'nameIdFormat'],
    },
    {
      title: 'Give people access and turn it on',
      text: 'On the Access tab, add the groups whose people should sign in through Ping Identity. Then turn the application on with the toggle at the top of its page.',
    },
    {
      title: "Bring PingOne's metadata here",
      text: 'On the Configuration tab, select "Download Metadata". Upload that file or paste its XML below, then save.',
      fields: SAML_FIELDS,
    },
  ],
};

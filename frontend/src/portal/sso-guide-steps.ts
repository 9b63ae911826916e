/**
 * A provider's guide as numbered steps, rendered into `<tn-sso-setup>`'s own shadow root (so its
 * labels, copy buttons and focus handling are the element's): each step's text, the values of
 * ours it pastes (with a copy button each, and our metadata as a download), and the form to
 * fill back at the step that names fields.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAPPED_ATTRIBUTES } from './tn-sso-mapping.js';
import type { SsoConnection } from './sso-api.js';
import type { ProviderGuide, SpValue } from './sso-guides/index.js';

export const SP_VALUE_LABELS: Readonly<
  Record<Exclude<SpValue, 'attributes' | 'metadataFile'>, string>
> = {
  acsUrl: 'ACS URL (single sign-on URL)',
  entityId: 'Entity ID (audience URI)',
  metadataUrl: 'Metadata URL',
  certificate: 'Our signing certificate',
  nameIdFormat: 'NameID format',
  redirectUri: 'Redirect URI',
};

export interface GuideOptions {
  /** Copies `text`; `what` completes "Copied …" and the button's accessible name. */
  copy: (text: string, what: string) => unknown;
  /** The fill-back form, rendered at the step whose `fields` the guide names. */
  fillBack: TemplateResult | typeof nothing;
}

/** The file name our metadata downloads as. */
export function metadataFileName(connection: SsoConnection): string {
  const slug = connection.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${slug || 'sso'}-service-provider-metadata.xml`;
}

export function guideSteps(
  guide: ProviderGuide,
  connection: SsoConnection,
  options: GuideOptions,
): TemplateResult {
  return html`<ol class="steps" data-testid="sso-guide-steps">
    ${guide.steps.map(
      (step, index) =>
        html`<li class="step" data-testid="sso-step">
          <h4 id="step-${index + 1}">${step.title}</h4>
          <p>${step.text}</p>
          ${
            step.values?.length
              ? html`<dl class="values" aria-labelledby="step-${index + 1}">
                  ${step.values.map((value) => renderValue(value, connection, options))}
                </dl>`
              : nothing
          }
          ${step.fields?.length ? options.fillBack : nothing}
        </li>`,
    )}
  </ol>`;
}

function renderValue(value: SpValue, connection: SsoConnection, options: GuideOptions) {
  const sp = connection.serviceProvider;
  switch (value) {
    case 'attributes':
      return MAPPED_ATTRIBUTES.map(({ key, label }) =>
        copyRow(
          `attr-${key}`,
          label.replace(' attribute', ' attribute name'),
          connection.attributeMapping[key],
          options,
        ),
      );
    case 'metadataFile':
      return sp.metadataXml
        ? html`<div>
            <dt>Our metadata file</dt>
            <dd>
              <a
                class="link"
                data-testid="sso-metadata-download"
                download=${metadataFileName(connection)}
                href="data:application/samlmetadata+xml;charset=utf-8,${encodeURIComponent(sp.metadataXml)}"
                >Download our metadata XML</a
              >
            </dd>
          </div>`
        : nothing;
    case 'certificate':
      return sp.certificate
        ? html`<div>
            <dt>${SP_VALUE_LABELS.certificate}</dt>
            <dd class="certificate">
              <details>
                <summary>Show the certificate</summary>
                <pre data-testid="sso-value-certificate">${sp.certificate}</pre>
              </details>
              ${copyButton('certificate', 'our signing certificate', sp.certificate, options)}
            </dd>
          </div>`
        : nothing;
    default: {
      const text = sp[value];
      return text ? copyRow(value, SP_VALUE_LABELS[value], text, options) : nothing;
    }
  }
}

function copyRow(id: string, label: string, text: string, options: GuideOptions) {
  return html`<div>
    <dt>${label}</dt>
    <dd>
      <code data-testid="sso-value-${id}">${text}</code>
      ${copyButton(id, `the ${lowerFirst(label)}`, text, options)}
    </dd>
  </div>`;
}

function copyButton(id: string, what: string, text: string, options: GuideOptions) {
  return html`<button
    class="secondary copy"
    type="button"
    data-testid="sso-copy-${id}"
    @click=${() => options.copy(text, what)}
  >
    Copy<span class="visually-hidden"> ${what}</span>
  </button>`;
}

/** "ACS URL …" stays as it is, "Email attribute name" reads "email attribute name" mid-sentence. */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

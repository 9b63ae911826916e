import { css } from 'lit';

/**
 * The page around the elements: the server's HTML shell carries no styles of its own, and CSP
 * forbids inline ones, so the entry adopts this sheet on the document.
 */
export const documentStyles = css`
  body {
    margin: 0;
    min-height: 100vh;
    background: var(--tn-bg, #f3f4f6);
    color: var(--tn-fg, #111827);
    font-family: var(--tn-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
`;

/** Adds `documentStyles` to the document's adopted style sheets, keeping any already there. */
export function adoptDocumentStyles(doc: Document = document): void {
  const sheet = documentStyles.styleSheet;
  if (sheet && !doc.adoptedStyleSheets.includes(sheet)) {
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  }
}

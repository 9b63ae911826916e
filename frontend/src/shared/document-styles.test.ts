import { describe, expect, it } from 'vitest';
import { adoptDocumentStyles, documentStyles } from './document-styles.js';

describe('document styles', () => {
  it('adopts the page sheet once, keeping sheets adopted before it', () => {
    const earlier = new CSSStyleSheet();
    document.adoptedStyleSheets = [earlier];
    adoptDocumentStyles(document);
    adoptDocumentStyles(document);

    expect(document.adoptedStyleSheets).toEqual([earlier, documentStyles.styleSheet]);
    document.adoptedStyleSheets = [];
  });

  it('paints the page with the branding background', () => {
    expect(documentStyles.cssText).toContain('var(--tn-bg');
  });
});

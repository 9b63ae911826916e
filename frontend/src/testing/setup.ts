/** Runs before every test file. */

// Lit announces its development build once per page; the tests always run it.
(globalThis as { litIssuedWarnings?: Set<string> }).litIssuedWarnings = new Set(['dev-mode']);

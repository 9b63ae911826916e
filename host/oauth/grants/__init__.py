"""Token grants (RFC 6749 §4): one class per grant, protocol steps as methods in order."""

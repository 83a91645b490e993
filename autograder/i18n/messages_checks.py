"""Messages of the check library: expected, received, and what to do."""

MESSAGES: dict[str, dict[str, str]] = {}

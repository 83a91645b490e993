"""Messages of the text_classification assignment's checks (ko/en; each says expected / found / fix)."""

MESSAGES: dict[str, dict[str, str]] = {}

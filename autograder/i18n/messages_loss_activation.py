"""Messages of the loss_activation assignment's checks (ko/en; each says expected / found / fix)."""

MESSAGES: dict[str, dict[str, str]] = {}

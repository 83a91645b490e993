"""Messages of the kfold_regression assignment's checks (ko/en; each says expected / found / fix)."""

MESSAGES: dict[str, dict[str, str]] = {}

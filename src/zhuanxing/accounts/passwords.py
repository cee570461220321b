"""Password complexity as 等保 level 3 asks: at least three of the four kinds of character."""

from __future__ import annotations

import string

from django.core.exceptions import ValidationError

KINDS = {
    "小写字母": set(string.ascii_lowercase),
    "大写字母": set(string.ascii_uppercase),
    "数字": set(string.digits),
    "符号": set(string.punctuation),
}


class CharacterKindsValidator:
    def __init__(self, kinds: int = 3):
        self.kinds = kinds

    def validate(self, password, user=None):
        used = sum(1 for chars in KINDS.values() if chars & set(password))
        if used < self.kinds:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少 {self.kinds} 种",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"至少包含小写字母、大写字母、数字、符号中的 {self.kinds} 种。"

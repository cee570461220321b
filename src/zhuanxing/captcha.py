"""An image challenge drawn on the server, for the forms anyone may post without signing in.

Offline by design (no third-party service): a few characters drawn with Pillow, slanted and
crossed by lines, kept in the visitor's session and good for one answer."""

from __future__ import annotations

import io
import secrets

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SESSION_KEY = "captcha_answer"
ALPHABET = "ACDEFHJKMNPRTUVWXY34679"  # no look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B)
LENGTH = 4


def new_challenge(session) -> None:
    session[SESSION_KEY] = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def image_png(session) -> bytes:
    """The session's challenge as a PNG (a new one when the session has none)."""
    if SESSION_KEY not in session:
        new_challenge(session)
    text = session[SESSION_KEY]
    rng = secrets.SystemRandom()
    width, height = 40 * LENGTH + 20, 56
    image = Image.new("RGB", (width, height), (245, 247, 250))
    font = ImageFont.load_default(size=34)
    for index, char in enumerate(text):
        glyph = Image.new("RGBA", (44, 52), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 4), char, font=font, fill=(30, 41, 59))
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC)
        image.paste(glyph, (10 + index * 40, rng.randint(0, 6)), glyph)
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        points = [(rng.randint(0, width), rng.randint(0, height)) for _ in range(2)]
        draw.line(points, fill=(100, 116, 139), width=2)
    buffer = io.BytesIO()
    image.filter(ImageFilter.SMOOTH).save(buffer, format="PNG")
    return buffer.getvalue()


def passes(session, answer: str) -> bool:
    """Whether ``answer`` is the session's challenge; either way the challenge is used up."""
    expected = session.pop(SESSION_KEY, None)
    return bool(expected) and secrets.compare_digest(expected, (answer or "").strip().upper())

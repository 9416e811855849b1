"""Text helpers, shipped as a Lambda layer: importable from /opt/python."""
import re

__all__ = ["slug", "word_count"]


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def slug(text):
    return "-".join(words(text))


def word_count(text):
    return len(words(text))

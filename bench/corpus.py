"""Deterministic text for the benchmark site: titles, article bodies and comment bodies.

Comment lengths and Markdown features are varied so the rendered page weighs about what a
real discussion does; each distinct text is rendered once and shared by many rows.
"""

from __future__ import annotations

import random

WORDS = [
    "Zinsen", "Banken", "Risiko", "Anleihe", "Rendite", "Kredit", "Markt", "Aufsicht",
    "Kapital", "Bilanz", "Inflation", "Sparer", "Fonds", "Aktie", "Quartal", "Prognose",
    "Anleger", "Steuer", "Rente", "Währung", "Liquidität", "Modell", "Szenario", "Stresstest",
    "Rating", "Eigenkapital", "Zentralbank", "Konjunktur", "Haushalt", "Schulden", "Vorsorge",
    "Immobilie", "Hypothek", "Depot", "Gebühr", "Beratung", "Vertrag", "Regel", "Ausnahme",
    "Wirkung",
]  # fmt: skip
FILLER = [
    "und", "aber", "oder", "doch", "weil", "wenn", "dass", "nicht", "noch", "schon", "auch",
    "nur", "sehr", "eher", "kaum", "immer", "wieder", "bisher", "heute", "morgen", "damals",
    "deshalb", "trotzdem", "allerdings", "jedenfalls",
]  # fmt: skip
TOPICS = (
    "Bankenrating",
    "Geldpolitik",
    "Altersvorsorge",
    "Immobilien",
    "Steuern",
    "Anleihen",
    "Aktien",
    "Regulierung",
    "Konjunktur",
    "Verbraucher",
    "Versicherungen",
    "Kryptowährungen",
)


def _sentence(rng: random.Random, words: int) -> str:
    picked = [rng.choice(WORDS if i % 3 == 0 else FILLER) for i in range(words)]
    return " ".join(picked).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng, rng.randint(6, 16)) for _ in range(sentences))


def title(rng: random.Random, number: int) -> str:
    a, b = rng.sample(WORDS, 2)
    return f"{a} und {b}: Lage {number}"


def article_body(rng: random.Random) -> str:
    parts = [_paragraph(rng, rng.randint(3, 5))]
    for _ in range(rng.randint(3, 6)):
        if rng.random() < 0.3:
            parts.append(f"## {rng.choice(WORDS)} {rng.choice(FILLER)} {rng.choice(WORDS)}")
        parts.append(_paragraph(rng, rng.randint(2, 6)))
    if rng.random() < 0.3:
        parts.append("\n".join(f"- {_sentence(rng, 6)}" for _ in range(4)))
    return "\n\n".join(parts)


def comment_body(rng: random.Random) -> str:
    """One comment: mostly a paragraph or two, sometimes a quote, a link, code or a list."""
    parts = [_paragraph(rng, rng.randint(1, 4))]
    roll = rng.random()
    if roll < 0.15:
        parts.insert(0, "> " + _sentence(rng, 10))
    elif roll < 0.25:
        parts.append(f"Siehe https://example.org/{rng.choice(WORDS).lower()} dazu.")
    elif roll < 0.3:
        parts.append("`Zins = Kapital * Satz`")
    elif roll < 0.35:
        parts.append("\n".join(f"1. {_sentence(rng, 5)}" for _ in range(3)))
    if rng.random() < 0.4:
        parts.append(_paragraph(rng, rng.randint(1, 3)))
    text = "\n\n".join(parts)
    if rng.random() < 0.3:
        word = rng.choice(WORDS)
        text = text.replace(word, f"*{word}*", 1)
    return text

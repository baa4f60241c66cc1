"""Fill the English catalogue: the source strings are English, so each msgstr is its msgid.

Usage: python scripts/fill_english_catalogue.py translations/en/LC_MESSAGES/messages.po
"""

import sys

from babel.messages.pofile import read_po, write_po


def main(path: str) -> None:
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id)
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with open(path, "wb") as handle:
        write_po(handle, catalog, sort_output=True, omit_header=False, width=100)


if __name__ == "__main__":
    main(sys.argv[1])

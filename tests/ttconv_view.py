"""What ttconv (the IMSC editor's converter, an independent reader) makes of a document: each
paragraph's begin, end and lines of text, and any warning it logged while reading."""

import logging


def texts(element):
    """The text nodes under a ttconv element, in order."""
    from ttconv import model

    if isinstance(element, model.Text):
        yield element
    for child in element:
        yield from texts(child)


def paragraphs(document):
    """(begin, end, lines) of every paragraph; ttconv leaves a begin of 0 as None."""
    from ttconv import model

    found = []
    for div in document.get_body():
        for paragraph in div:
            lines, line = [], ""
            for child in paragraph:
                if isinstance(child, model.Br):
                    lines.append(line)
                    line = ""
                else:
                    line += "".join(text.get_text() for text in texts(child))
            found.append((paragraph.get_begin() or 0, paragraph.get_end(), [*lines, line]))
    return found


def read_quietly(reader, *args):
    """ttconv's reading of a document, failing if ttconv logged any warning about it."""
    complaints = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = complaints.append
    logging.getLogger().addHandler(handler)
    try:
        document = reader(*args)
    finally:
        logging.getLogger().removeHandler(handler)
    assert not [record.getMessage() for record in complaints]
    return document

"""BibTeX export of the reading list (``kb reading export --format bibtex``), ready for Zotero.

Every ``kind: paper`` entry becomes one record keyed by its id. The type follows the venue:
``@inproceedings`` for conferences and workshops, ``@book`` for publishers' books,
``@phdthesis`` for theses, ``@misc`` for preprints, ``@article`` otherwise. arXiv ids are
written as ``eprint`` with ``archivePrefix = {arXiv}`` (what Zotero and biblatex read). Values
are brace-delimited with TeX's special characters escaped and braces balanced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kb.reading import Entry

_CONFERENCES = re.compile(
    r"\b(ICML|NeurIPS|NIPS|ICLR|COLT|AISTATS|UAI|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|AAAI|IJCAI|"
    r"KDD|Interspeech|ICASSP|CoRL|RSS|ALT|Conference|Proceedings|Workshop|Symposium)\b",
    re.IGNORECASE,
)
_BOOK = re.compile(r"\b(Press|Springer|Wiley|Cambridge|Elsevier|Addison|Prentice|book)\b", re.I)
_THESIS = re.compile(r"\b(thesis|dissertation)\b", re.IGNORECASE)
_PREPRINT = re.compile(r"^\s*(arXiv|preprint|arXiv preprint)\b", re.IGNORECASE)
_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_"}


def _balance(text: str) -> str:
    """Drop the braces that have no partner (BibTeX counts braces even after a backslash)."""
    keep = [True] * len(text)
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "{":
            opened.append(i)
        elif ch == "}":
            if opened:
                opened.pop()
            else:
                keep[i] = False
    for i in opened:
        keep[i] = False
    return "".join(ch for ch, k in zip(text, keep, strict=True) if k)


def escape(text: str) -> str:
    """TeX-escape ``text`` for a brace-delimited field: ``& % # _ \\`` escaped outside
    ``$...$`` math, unpaired braces dropped (paired ones kept, they protect case)."""
    out = []
    for index, part in enumerate(re.split(r"(\$[^$]*\$)", text)):
        if index % 2:  # math, kept as written
            out.append(part)
        else:
            out.append("".join(_SPECIAL.get(ch, ch) for ch in part))
    return _balance("".join(out))


def entry_type(entry: Entry) -> str:
    """The BibTeX type of an entry (``bibtex_type`` in the front-matter overrides)."""
    override = entry.extra.get("bibtex_type")
    if isinstance(override, str) and re.fullmatch(r"[a-z]+", override):
        return override
    venue = entry.venue or ""
    if _THESIS.search(venue):
        return "phdthesis"
    if not venue or _PREPRINT.match(venue):
        return "misc"
    if _CONFERENCES.search(venue):
        return "inproceedings"
    if _BOOK.search(venue) and not re.search(r"\b(Journal|Review|Letters)\b", venue):
        return "book"
    return "article"


def to_bibtex(entry: Entry) -> str:
    """One BibTeX record."""
    kind = entry_type(entry)
    fields: list[tuple[str, str]] = [("title", entry.title)]
    if entry.authors:
        fields.append(("author", " and ".join(entry.authors)))
    if entry.year is not None:
        fields.append(("year", str(entry.year)))
    venue_field = {
        "inproceedings": "booktitle",
        "article": "journal",
        "book": "publisher",
        "phdthesis": "school",
    }.get(kind)
    if entry.venue and venue_field:
        fields.append((venue_field, entry.venue))
    elif entry.venue:
        fields.append(("howpublished", entry.venue))
    if entry.url:
        fields.append(("url", entry.url))
    doi = entry.extra.get("doi")
    if isinstance(doi, str) and doi:
        fields.append(("doi", doi))
    if entry.arxiv:
        fields += [("eprint", entry.arxiv), ("archivePrefix", "arXiv")]
    body = ",\n".join(
        f"  {name} = {{{value if name == 'url' else escape(value)}}}" for name, value in fields
    )
    return f"@{kind}{{{entry.id},\n{body}\n}}\n"


def export(entries: Iterable[Entry]) -> str:
    """BibTeX for every paper, in id order."""
    papers = sorted((e for e in entries if e.kind == "paper"), key=lambda e: e.id)
    return "\n".join(to_bibtex(e) for e in papers)

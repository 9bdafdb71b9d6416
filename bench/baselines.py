"""The two obvious alternatives to the project's answerer, over the same knowledge.

Both retrieve the best-matching *document* and answer with its label; each abstains (declines)
below a score cut-off that `bench.quality` tunes on the benchmark set itself.

Documents (`build_documents`), all read from the same knowledge folder and ISO data the bot uses:
- every FAQ phrasing, English and Korean            -> ``faq:<id>``
- every curated country name and alias (en and ko) -> ``status:<CC>``
- one document per ISO country built from all its names (ISO English names, pycountry's Korean
  locale name, curated aliases)                     -> ``status:<CC>``
- one document per list command, from the command table's name and descriptions
                                                     -> ``members``, ``partners``, ``help``, ``timeline:all``

Neither baseline can express ``joined:<CC>`` or ``timeline:<CC>`` (there is no document for them:
plain retrieval has no way to compose "country + intent"); BENCHMARKS.md says how many labels that
affects. The BM25 tokeniser is lowercase + split on whitespace/punctuation: Korean particles stay
glued to their nouns ("한국은" != "한국"), which is what an obvious baseline does.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry
import yaml
from rank_bm25 import BM25Okapi
from rapidfuzz import fuzz, process, utils

_TOKEN = re.compile(r"[\W_]+", re.UNICODE)

# the command table's list commands, as labels the scorer knows
_COMMAND_LABELS = {
    "nato-members": "members",
    "nato-partners": "partners",
    "nato-help": "help",
    "nato-timeline": "timeline:all",
}


@dataclass(frozen=True)
class Doc:
    label: str
    text: str


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN.split(text.lower()) if t]


def _korean_names() -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
    except OSError:  # pragma: no cover
        return gettext.NullTranslations()


def build_documents(knowledge_dir: Path) -> list[Doc]:
    knowledge_dir = Path(knowledge_dir)
    docs: list[Doc] = []
    faq = yaml.safe_load((knowledge_dir / "faq.yaml").read_text(encoding="utf-8"))["faq"]
    for entry in faq:
        for lang in ("en", "ko"):
            for phrasing in entry["questions"].get(lang) or ():
                docs.append(Doc(f"faq:{entry['id']}", phrasing))

    curated = yaml.safe_load((knowledge_dir / "countries.yaml").read_text(encoding="utf-8"))["countries"]
    aliases: dict[str, list[str]] = {}
    for country in curated:
        names = [*(country.get("aliases") or {}).get("en", []), *(country.get("aliases") or {}).get("ko", [])]
        aliases[country["code"]] = names
        for name in names:
            docs.append(Doc(f"status:{country['code']}", name))

    ko = _korean_names()
    for c in pycountry.countries:
        names = [c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)]
        names.append(ko.gettext(c.name))
        names += aliases.get(c.alpha_2, [])
        names = list(dict.fromkeys(n for n in names if n))
        if c.alpha_2 in aliases:  # curated: its ISO names are curated names too
            docs += [Doc(f"status:{c.alpha_2}", n) for n in names if n not in aliases[c.alpha_2]]
        docs.append(Doc(f"status:{c.alpha_2}", " ".join(names)))

    from bot.core.commands import COMMANDS  # the one command table

    for command in COMMANDS:
        label = _COMMAND_LABELS.get(command.id)
        if label:
            described = " ".join(command.description(lang) for lang in ("en", "ko"))
            docs.append(Doc(label, f"{command.id.replace('-', ' ')} {described}"))
    return docs


class BM25Baseline:
    """rank_bm25 BM25Okapi; the answer is the top document's label, its score the BM25 score."""

    name = "BM25 (rank_bm25)"

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        self.bm25 = BM25Okapi([tokenize(d.text) for d in docs])

    def predict(self, text: str) -> tuple[str, float]:
        tokens = tokenize(text)
        if not tokens:
            return "decline", 0.0
        scores = self.bm25.get_scores(tokens)
        best = int(scores.argmax())
        return self.docs[best].label, float(scores[best])


class FuzzBaseline:
    """rapidfuzz process.extractOne with fuzz.WRatio and utils.default_process (score 0-100)."""

    name = "rapidfuzz WRatio"

    def __init__(self, docs: list[Doc]):
        self.docs = docs
        self.choices = [d.text for d in docs]

    def predict(self, text: str) -> tuple[str, float]:
        hit = process.extractOne(text, self.choices, scorer=fuzz.WRatio, processor=utils.default_process)
        if hit is None:
            return "decline", 0.0
        _, score, index = hit
        return self.docs[index].label, float(score)


class BM25sBaseline(BM25Baseline):
    """bm25s (sparse-matrix BM25, the fast reference), same documents and tokeniser as `BM25Baseline`."""

    name = "BM25 (bm25s)"

    def __init__(self, docs: list[Doc]):
        import bm25s  # the 'bench' extra: imported only by the runs that compare against it

        self.docs = docs
        self.bm25 = bm25s.BM25()
        self.bm25.index([tokenize(d.text) for d in docs], show_progress=False)

    def scores(self, text: str) -> object:
        """The score of every document (what a search engine computes per question)."""
        return self.bm25.get_scores(tokenize(text))

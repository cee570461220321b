"""科技大市场的匹配引擎: recommends experts, achievements and institutions for an enterprise's technical
demand (and demands for a profile), with the reason for each recommendation.

Pure: jieba, bm25s, numpy and the standard library; no Django. Typical use::

    index = Index.open("var/matching")              # or Index.build(documents, path=...)
    index.upsert(Document(id="expert:17", kind="expert", title=..., text=..., fields=("装备制造",)))
    index.withdraw("achievement:5")
    for match in index.search(Query(title=..., text=..., fields=("装备制造",)), top=10):
        match.doc_id, match.score, match.reason, match.as_dict()
"""

from .documents import KINDS, Document, Query
from .errors import DictionaryError, IndexStoreError, InputFileError, InvalidDocumentError, MatchingError
from .explain import Factor, Match, MatchedTerm
from .fields import FieldTaxonomy
from .index import Index, IndexStatus
from .rank import RankingWeights
from .tokenize import Tokenizer, default_tokenizer

__all__ = [
    "KINDS",
    "DictionaryError",
    "Document",
    "Factor",
    "FieldTaxonomy",
    "Index",
    "IndexStatus",
    "IndexStoreError",
    "InputFileError",
    "InvalidDocumentError",
    "Match",
    "MatchedTerm",
    "MatchingError",
    "Query",
    "RankingWeights",
    "Tokenizer",
    "default_tokenizer",
]

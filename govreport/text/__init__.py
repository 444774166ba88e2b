"""Narrative text of the reports: keywords, stated problems, stated volumes, copied text.

Every public function takes ``report``: a ``Report``, a ``Corpus``, a list of reports
(read through :func:`govreport.protocol.iter_reports`), a mapping ``{report_id: report}``,
a sections DataFrame (``text`` plus optional ``report_id, number, title, code``) or a
plain string. ``section=`` is one typed selector (:data:`Section`): None (all), a section
number (``5`` = 五) or a section code from ``govreport/data/layouts/sections.csv``
(``general``, ``active_disclosure``, ``applications``, ``fees``, ``review_litigation``,
``problems``, ``other``, ``statistics``).

Inputs and the section selector live in ``select.py``; the prose clean-up (width
folding, date lines, wrapped lines) in ``prose.py``; a section's text holds no table
row (tables are grids from the reader on). Four tools:

* :func:`keywords` (``keywords.py``) -- jieba keyword extraction (TF-IDF or TextRank)
  per report and section, with a domain dictionary, domain stopwords and an optional
  corpus-fitted IDF (:func:`fit_idf`). The private jieba lives in ``engine.py``.
* :func:`stated_problems` (``problems.py``; splitting in ``statements.py``, its phrases in
  ``phrases.py``) -- the problems section split into a problems part and an improvements
  part, then into statements (preambles are not problems), each tagged with themes from
  ``govreport/data/themes.csv``.
* :func:`stated_volumes` / :func:`stated_total` (``volumes.py``) -- quantities the prose
  states, read by the narrative check's extractor
  (:func:`govreport.checks.stated_quantities`) and mapped to the subject codes of
  ``govreport/data/volume_subjects.csv``.
* :func:`section_similarity` and :func:`copied_passages` (``reuse.py``) -- boilerplate
  and reuse across reports (character shingles, MinHash with ``govreport[reuse]``, or
  TF-IDF cosine).

Extending the data files
------------------------
* ``domain_dict.txt`` -- jieba user dictionary (``word [freq] [pos]`` per line); or
  :func:`add_words` / :func:`load_user_dict` at run time.
* ``stopwords.txt`` -- one word per line, ``#`` starts a comment; or
  :func:`add_stopwords`. Numbers and years are always dropped from keywords.
* ``themes.csv`` -- ``theme, label_zh, label_en, description, keywords``; ``keywords``
  lists jieba tokens separated by ``|``, ``A&B`` = both tokens. Pass your own as
  ``themes=``. The codes: ``awareness``, ``staff``, ``timeliness``, ``completeness``,
  ``forms_channels``, ``platforms_it``, ``policy_interpretation``, ``requests``,
  ``mechanisms``, ``new_media``, ``grassroots``, ``other``.
* ``problem_phrases.csv`` -- the problems and improvements headings, the words where
  plans start, preambles that are not problems, closing sentences, and the words that
  mark a shortcoming.
* ``volume_subjects.csv`` -- ``subject``, ``zh_patterns`` (a regular expression searched
  in the words before the number, for subjects the extractor does not read), ``units``,
  ``quantity_subjects`` (the extractor subjects that give this subject), ``label_en``.
"""

from __future__ import annotations

from .engine import (
    DATA_DIR,
    DOMAIN_DICT_PATH,
    STOPWORDS_PATH,
    add_stopwords,
    add_words,
    init,
    load_user_dict,
    stopwords,
    tokenize,
)
from .engine import engine as _engine
from .engine import read_word_list as _read_word_list
from .keywords import IDFTable, fit, fit_idf, keywords
from .problems import (
    THEMES_PATH,
    load_themes,
    stated_problems,
    tag_themes,
    theme_coverage,
)
from .reuse import copied_passages, section_similarity
from .select import (
    Section,
    SectionCode,
    as_sections,
    problems_section,
    section_codes,
    sections_of,
    select_sections,
)
from .statements import split_problems
from .volumes import (
    VOLUME_SUBJECTS_PATH,
    load_volume_subjects,
    stated_total,
    stated_volumes,
)

__all__ = [
    "DATA_DIR",
    "DOMAIN_DICT_PATH",
    "STOPWORDS_PATH",
    "THEMES_PATH",
    "VOLUME_SUBJECTS_PATH",
    "IDFTable",
    "Section",
    "SectionCode",
    "add_stopwords",
    "add_words",
    "as_sections",
    "copied_passages",
    "fit",
    "fit_idf",
    "init",
    "keywords",
    "load_themes",
    "load_user_dict",
    "load_volume_subjects",
    "problems_section",
    "section_codes",
    "section_similarity",
    "sections_of",
    "select_sections",
    "split_problems",
    "stated_problems",
    "stated_total",
    "stated_volumes",
    "stopwords",
    "tag_themes",
    "theme_coverage",
    "tokenize",
]

# private names the tests use
_ = (_engine, _read_word_list)

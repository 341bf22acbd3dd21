"""Readers of paper listings (Hugging Face trending-paper page dumps, JSONL, CSV, arXiv Atom XML) and bibliographic
exports (Web of Science plain text and tab-delimited, Scopus CSV, RIS, BibTeX, Lens.org and Dimensions CSV), one
module per input format, and what they share.

Every reader turns one file into :class:`Listing` rows plus :class:`~citegraph.extract.records.InputProblem` s for
what it had to skip; :func:`read_listings` reads many files (and records given as dicts) and merges the same paper
(same normalised title) listed in several files or on several dates into one
:class:`~citegraph.extract.records.Paper`.

The modules:

- :mod:`~citegraph.extract.readers.text`: from bytes on disk to text (limits, encodings, binary files, decoding)
  and :func:`~citegraph.extract.readers.text.clean` for every title and abstract;
- :mod:`~citegraph.extract.readers.fields`: :class:`Listing`, and a record given as a dict to a Listing
  (:func:`listing_from_record`, shared by JSONL, CSV and :func:`read_records`), dates, and the checks every listing
  passes;
- one module per format: :mod:`~citegraph.extract.readers.hf`, :mod:`~citegraph.extract.readers.jsonl`,
  :mod:`~citegraph.extract.readers.csv_table`, :mod:`~citegraph.extract.readers.arxiv`,
  :mod:`~citegraph.extract.readers.openalex`, :mod:`~citegraph.extract.readers.semanticscholar`,
  :mod:`~citegraph.extract.readers.crossref`, :mod:`~citegraph.extract.readers.medline`,
  :mod:`~citegraph.extract.readers.pubmed_xml`; :mod:`~citegraph.extract.readers.json_records` finds the records
  of a JSON export (a response, a list, one record, JSON Lines) for the three JSON formats,
  :mod:`~citegraph.extract.readers.wos`, :mod:`~citegraph.extract.readers.wos_tab`,
  :mod:`~citegraph.extract.readers.scopus_csv`, :mod:`~citegraph.extract.readers.ris`,
  :mod:`~citegraph.extract.readers.bibtex`, :mod:`~citegraph.extract.readers.lens`,
  :mod:`~citegraph.extract.readers.dimensions`;
- what some formats share: :mod:`~citegraph.extract.readers.tagged` (numbered lines),
  :mod:`~citegraph.extract.readers.export_tables` (CSV exports read by column name, field counts checked),
  :mod:`~citegraph.extract.readers.cited_strings` (Web of Science and Scopus cited-reference strings),
  :mod:`~citegraph.extract.readers.identifiers` (DOIs and source ids in one form);
- :mod:`~citegraph.extract.readers.detect`: the table of readers (:data:`FORMATS`), each format's positive test,
  and :func:`detect_format`;
- :mod:`~citegraph.extract.readers.merge`: listings to papers (:func:`merge_listings`, :func:`normalise_title`,
  :func:`paper_id_for`);
- :mod:`~citegraph.extract.readers.listings`: :func:`read_file`, :func:`read_records`, :func:`read_listings`.

Adding a format (say RIS):

1. a module ``ris.py`` here with ``read(path: str, text: str, year: int, problems: list[InputProblem],
   assumed: list[bool]) -> Iterator[Listing]``: ``text`` is the file already decoded, ``path`` is what each
   listing's ``source`` (``f"{path}:{line}"``) and each problem name; a record that cannot be read is appended to
   ``problems`` with its line and skipped, never raised; for each date read, whether its year was assumed to be
   ``year`` is appended to ``assumed``. A format whose records are field/value pairs builds each listing with
   :func:`listing_from_record`; titles and abstracts go through :func:`~citegraph.extract.readers.text.clean`.
   The title check and the limits are applied to every listing afterwards
   (:func:`~citegraph.extract.readers.fields.check_listing`);
2. in the same module, ``sniff(head: str) -> bool``: True only when ``head`` (the file's first decoded characters,
   :data:`~citegraph.extract.readers.detect.HEAD_CHARS`) is surely that format, so that detection never reads a
   file as a format it is not;
3. one row in ``READERS_TABLE`` in :mod:`~citegraph.extract.readers.detect` (which makes it one of :data:`FORMATS`):
   its reader, its sniff and its usual extensions (which only break ties), placed before any format more lenient
   than it;
4. its tests in ``tests/test_readers_<format>.py`` (on real files), ``tests/test_readers_detect.py`` and
   ``tests/test_fuzz_readers.py`` (the fuzz tests run every format).
"""

from __future__ import annotations

from citegraph.extract.readers.detect import FORMATS, detect_format
from citegraph.extract.readers.fields import Listing, listing_from_record
from citegraph.extract.readers.listings import RECORDS_NAME, ReadResult, read_file, read_listings, read_records
from citegraph.extract.readers.merge import merge_listings, normalise_title, paper_id_for
from citegraph.extract.readers.text import MAX_ABSTRACT_CHARS, MAX_FILE_BYTES, MAX_TITLE_CHARS

__all__ = ["read_listings", "read_file", "read_records", "listing_from_record", "detect_format", "merge_listings",
           "normalise_title", "paper_id_for", "FORMATS", "Listing", "ReadResult", "MAX_FILE_BYTES", "MAX_TITLE_CHARS",
           "MAX_ABSTRACT_CHARS", "RECORDS_NAME"]

"""The PubMed XML reader. No real PubMed XML export is in ../shared: the documents here are written after NLM's
documented DTD (https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd: PubmedArticleSet, PubmedArticle with
MedlineCitation and PubmedData, PubmedBookArticle), with the public DOCTYPE line PubMed writes. Hostile documents
(entity expansion, external entities) must be refused, never expanded or fetched."""

from __future__ import annotations

import pytest

from citegraph.extract.readers import read_file

DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">')


def article(pmid: str, title: str, doi: str, refs: str = "") -> str:
    return f"""<PubmedArticle>
  <MedlineCitation Status="MEDLINE" Owner="NLM">
    <PMID Version="1">{pmid}</PMID>
    <Article PubModel="Print-Electronic">
      <Journal>
        <ISSN IssnType="Electronic">1932-6203</ISSN>
        <JournalIssue CitedMedium="Internet"><Volume>17</Volume><Issue>10</Issue>
          <PubDate><Year>2022</Year><Month>Oct</Month><Day>07</Day></PubDate></JournalIssue>
        <Title>PloS one</Title><ISOAbbreviation>PLoS One</ISOAbbreviation>
      </Journal>
      <ArticleTitle>{title}</ArticleTitle>
      <Pagination><StartPage>e0268950</StartPage><MedlinePgn>e0268950</MedlinePgn></Pagination>
      <ELocationID EIdType="doi" ValidYN="Y">{doi}</ELocationID>
      <Abstract>
        <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Weights of criteria are <i>crucial</i>.</AbstractText>
        <AbstractText Label="RESULTS" NlmCategory="RESULTS">CO<sub>2</sub> &amp; Monte Carlo.</AbstractText>
      </Abstract>
      <AuthorList CompleteYN="Y">
        <Author ValidYN="Y"><LastName>Mazurek</LastName><ForeName>Jiří</ForeName><Initials>J</Initials></Author>
        <Author ValidYN="Y"><CollectiveName>MCDA Study Group</CollectiveName></Author>
      </AuthorList>
    </Article>
    <MeshHeadingList>
      <MeshHeading><DescriptorName UI="D003657" MajorTopicYN="Y">Decision Making</DescriptorName></MeshHeading>
      <MeshHeading><DescriptorName UI="D009010" MajorTopicYN="N">Monte Carlo Method</DescriptorName>
        <QualifierName UI="Q000379" MajorTopicYN="N">methods</QualifierName></MeshHeading>
    </MeshHeadingList>
    <KeywordList Owner="NOTNLM"><Keyword MajorTopicYN="N">central weights</Keyword></KeywordList>
  </MedlineCitation>
  <PubmedData>
    <PublicationStatus>epublish</PublicationStatus>
    <ArticleIdList>
      <ArticleId IdType="pubmed">{pmid}</ArticleId>
      <ArticleId IdType="doi">{doi}</ArticleId>
      <ArticleId IdType="pmc">PMC9543698</ArticleId>
    </ArticleIdList>
    <ReferenceList>{refs}</ReferenceList>
  </PubmedData>
</PubmedArticle>
"""


REFS = """
      <Reference><Citation>Saaty TL. The analytic hierarchy process. 1980.</Citation></Reference>
      <Reference><Citation>Greco S, et al. Robust ordinal regression. Eur J Oper Res. 2008;191:416-436.</Citation>
        <ArticleIdList><ArticleId IdType="doi">10.1016/j.ejor.2007.08.013</ArticleId>
          <ArticleId IdType="pubmed">123456</ArticleId></ArticleIdList></Reference>"""

BOOK = """<PubmedBookArticle>
  <BookDocument>
    <PMID Version="1">20301295</PMID>
    <ArticleIdList><ArticleId IdType="bookaccession">NBK1116</ArticleId></ArticleIdList>
    <Book><Publisher><PublisherName>University of Washington</PublisherName></Publisher>
      <BookTitle book="gene">GeneReviews</BookTitle><PubDate><Year>1993</Year></PubDate></Book>
    <ArticleTitle book="gene" part="hd">Huntington Disease</ArticleTitle>
    <Abstract><AbstractText>A progressive disorder.</AbstractText></Abstract>
  </BookDocument>
  <PubmedBookData><ArticleIdList><ArticleId IdType="pubmed">20301295</ArticleId></ArticleIdList></PubmedBookData>
</PubmedBookArticle>
"""


def document(*parts: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{DOCTYPE}\n<PubmedArticleSet>\n{"".join(parts)}'
            "</PubmedArticleSet>\n")


def test_pubmed_xml_articles_as_the_dtd_describes_them(tmp_path):
    path = tmp_path / "pubmed.xml"
    first = article("36206242", "On the Monte Carlo weights.", "10.1371/journal.pone.0268950", REFS)
    path.write_text(document(first, BOOK), encoding="utf-8")
    problems: list = []
    info: dict = {}
    rows = read_file(path, problems=problems, info=info)
    assert info["format"] == "pubmed-xml" and problems == []
    a, book = rows
    assert a.source == f"{path}:4" and book.source.endswith(f":{4 + first.count(chr(10))}")
    assert a.title == "On the Monte Carlo weights."
    assert a.abstract == "BACKGROUND: Weights of criteria are crucial. RESULTS: CO2 & Monte Carlo."
    assert a.authors == ("Jiří Mazurek", "MCDA Study Group")
    assert a.doi == "10.1371/journal.pone.0268950" and a.published == "2022-10-07" and a.year == 2022
    assert dict(a.ids) == {"pmid": "36206242", "pmcid": "PMC9543698"}
    assert (a.venue, a.volume, a.page) == ("PloS one", "17", "e0268950")
    assert a.keywords == ("central weights", "Decision Making", "Monte Carlo Method")
    r1, r2 = a.cited_references
    assert r1.raw.startswith("Saaty TL.") and r1.year == 1980 and r1.doi == ""
    assert r2.doi == "10.1016/j.ejor.2007.08.013" and dict(r2.ids) == {"pmid": "123456"} and r2.year == 2008
    assert (book.title, book.year, dict(book.ids)) == ("Huntington Disease", 1993, {"pmid": "20301295"})


@pytest.mark.timeout(60)  # a hang guard: an expanded bomb would take minutes and gigabytes
def test_pubmed_xml_billion_laughs_is_refused_not_expanded(tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{"&l%d;" % (i - 1) * 10}">' for i in range(1, 10))
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY l0 "lol">' + lol + "]>\n"
                    + "<PubmedArticleSet>" + article("1", "&l9;", "10.1000/x") + "</PubmedArticleSet>",
                    encoding="utf-8")
    problems: list = []
    rows = read_file(path, fmt="pubmed-xml", problems=problems)
    assert rows == []
    assert "declares entities" in problems[0].message and problems[0].path == str(path)


def test_pubmed_xml_external_entity_is_refused_and_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY x SYSTEM "file://{secret}">]>\n'
                    + "<PubmedArticleSet>" + article("1", "&x;", "10.1000/x") + "</PubmedArticleSet>",
                    encoding="utf-8")
    problems: list = []
    rows = read_file(path, problems=problems)
    assert rows == [] and "declares entities" in problems[0].message
    assert not any("SECRET" in str(p) for p in problems)


def test_pubmed_xml_truncated_document_keeps_the_articles_before(tmp_path):
    text = document(article("1", "First", "10.1000/a"), article("2", "Second", "10.1000/b"))
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<AuthorList", text.index("Second"))], encoding="utf-8")
    problems: list = []
    rows = read_file(path, problems=problems)
    assert [r.title for r in rows] == ["First"]
    assert len(problems) == 1 and "not well-formed XML" in problems[0].message and problems[0].line > 4


def test_pubmed_xml_other_encoding_declared(tmp_path):
    path = tmp_path / "latin.xml"
    path.write_bytes(document(article("1", "Café society", "10.1000/a")).replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1", errors="replace"))
    rows = read_file(path)
    assert [r.title for r in rows] == ["Café society"]

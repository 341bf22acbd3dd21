// Co-citation: the works cited together with a work, by the number of papers citing both.
//
// Parameters:
//   $work   string  required    the work: a paper id, a DOI, a node id (paper:…, ref:…) or a reference key
//   $limit  int     default 20  how many rows
//
// Returns: id, name, papers, paper_ids
MATCH (w)
WHERE (w:Paper OR w:Reference)
  AND (w.id = $work OR w.paper_id = $work OR w.key = $work OR w.doi = toLower($work))
MATCH (p:Paper)-[:CITES]->(w)
MATCH (p)-[:CITES]->(other)
WHERE other <> w
WITH other, p ORDER BY p.paper_id
WITH other, collect(DISTINCT p.paper_id) AS paper_ids
RETURN other.id AS id, other.name AS name, size(paper_ids) AS papers, paper_ids
ORDER BY papers DESC, id ASC
LIMIT $limit

// Who cites a work: the papers of the corpus citing a paper of the corpus or a reference.
//
// Parameters:
//   $work   string  required      the work: a paper id, a DOI, a node id (paper:…, ref:…) or a reference key
//   $limit  int     default 100   how many rows
//
// Returns: paper_id, title, year, doi, count, via
MATCH (w)
WHERE (w:Paper OR w:Reference)
  AND (w.id = $work OR w.paper_id = $work OR w.key = $work OR w.doi = toLower($work))
MATCH (p:Paper)-[c:CITES]->(w)
RETURN DISTINCT p.paper_id AS paper_id, p.title AS title, p.year AS year, p.doi AS doi, c.count AS count,
       c.via AS via
ORDER BY year ASC, paper_id ASC
LIMIT $limit

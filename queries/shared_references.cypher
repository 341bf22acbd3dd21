// References cited by several papers.
//
// Parameters:
//   $min_papers  int  default 2   minimum number of citing papers
//   $limit       int  default 20  how many rows
//
// Returns: reference, key, first_author, year, papers, paper_ids
MATCH (p:Paper)-[:CITES]->(r:Reference)
WITH r, p ORDER BY p.paper_id
WITH r, collect(DISTINCT p.paper_id) AS paper_ids
WHERE size(paper_ids) >= $min_papers
RETURN r.name AS reference, r.key AS key, r.first_author AS first_author, r.year AS year,
       size(paper_ids) AS papers, paper_ids
ORDER BY papers DESC, key ASC
LIMIT $limit

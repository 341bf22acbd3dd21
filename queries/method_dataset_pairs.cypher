// Method × dataset pairs, by the number of papers mentioning both.
//
// Parameters:
//   $min_papers  int  default 1   minimum number of papers per pair
//   $limit       int  default 25  how many rows
//
// Returns: method, dataset, papers, paper_ids
MATCH (m:Method)<-[:MENTIONS]-(p:Paper)-[:MENTIONS]->(d:Dataset)
WITH m, d, p ORDER BY p.paper_id
WITH m, d, collect(DISTINCT p.paper_id) AS paper_ids
WHERE size(paper_ids) >= $min_papers
RETURN m.name AS method, d.name AS dataset, size(paper_ids) AS papers, paper_ids
ORDER BY papers DESC, m.key ASC, d.key ASC
LIMIT $limit

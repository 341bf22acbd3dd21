// Bibliographic coupling: the papers citing some of the same works as a paper, by the number of works shared.
//
// Parameters:
//   $paper  string  required    the paper's id, DOI or title (case-insensitive)
//   $limit  int     default 20  how many rows
//
// Returns: paper_id, title, shared, shared_ids
MATCH (a:Paper)
WHERE a.paper_id = $paper OR a.doi = toLower($paper) OR toLower(a.title) = toLower($paper)
MATCH (a)-[:CITES]->(w)<-[:CITES]-(b:Paper)
WHERE b <> a
WITH b, w ORDER BY w.id
WITH b, collect(DISTINCT w.id) AS shared_ids
RETURN b.paper_id AS paper_id, b.title AS title, size(shared_ids) AS shared, shared_ids
ORDER BY shared DESC, paper_id ASC
LIMIT $limit

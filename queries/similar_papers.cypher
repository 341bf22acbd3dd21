// Papers similar to a paper: its RELATED_TO neighbours, by idf-weighted shared entities.
//
// Parameters:
//   $paper  string  required        the paper's id (with or without "paper:") or its exact title (case-insensitive)
//   $limit  int     default 10      how many rows
//
// Returns: paper_id, title, weight, shared, shared_entities
MATCH (p:Paper)
WHERE p.paper_id = $paper OR p.id = $paper OR toLower(p.title) = toLower($paper)
MATCH (p)-[r:RELATED_TO]-(q:Paper)
RETURN q.paper_id AS paper_id, q.title AS title, r.weight AS weight, r.shared AS shared,
       [s IN coalesce(r.shared_entities, []) | substring(s, 7)] AS shared_entities
ORDER BY weight DESC, paper_id ASC
LIMIT $limit

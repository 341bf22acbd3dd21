// Co-authors of an author: who wrote papers with them, by the number of papers written together.
//
// Parameters:
//   $author  string  required    the author's key (surname-initials, as vaswani-a), node id or name
//   $limit   int     default 50  how many rows
//
// Returns: key, name, papers, paper_ids
MATCH (a:Author)
WHERE a.key = $author OR a.id = $author OR toLower(a.name) = toLower($author)
MATCH (a)-[:WROTE]->(p:Paper)<-[:WROTE]-(b:Author)
WHERE b <> a
WITH b, p ORDER BY p.paper_id
WITH b, collect(DISTINCT p.paper_id) AS paper_ids
RETURN b.key AS key, b.name AS name, size(paper_ids) AS papers, paper_ids
ORDER BY papers DESC, key ASC
LIMIT $limit

// Entities first seen on a listing date (their earliest paper was listed that day).
//
// Parameters:
//   $date   string  required          ISO date YYYY-MM-DD
//   $kind   string  default ""        only this kind ("" for all)
//   $limit  int     default 50        how many rows
//
// Returns: name, key, kind, papers, first_date
MATCH (e:Entity)
WHERE e.first_date = $date AND ($kind = "" OR e.label = $kind)
OPTIONAL MATCH (p:Paper)-[:MENTIONS]->(e)
WITH e, count(DISTINCT p) AS papers
RETURN e.name AS name, e.key AS key, e.label AS kind, papers, e.first_date AS first_date
ORDER BY papers DESC, key ASC
LIMIT $limit

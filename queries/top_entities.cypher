// Top entities of a kind, by the number of papers that mention them.
//
// Parameters:
//   $kind   string  default "method"  method | dataset | task | metric | concept
//   $limit  int     default 10        how many rows
//
// Returns: name, key, kind, papers, mentions
MATCH (p:Paper)-[m:MENTIONS]->(e:Entity)
WHERE e.label = $kind
WITH e, count(DISTINCT p) AS papers, sum(m.count) AS mentions
RETURN e.name AS name, e.key AS key, e.label AS kind, papers, mentions
ORDER BY papers DESC, mentions DESC, key ASC
LIMIT $limit

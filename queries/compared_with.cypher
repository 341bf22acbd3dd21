// What a method is compared with: the typed COMPARE relations the abstracts state (either direction), most papers
// first.
//
// Parameters:
//   $method  string  required        the method's key, name or any alias (case-insensitive)
//   $limit   int     default 20      how many rows
//
// Returns: name, key, kind, papers, score, paper_ids
MATCH (m:Entity)
WHERE m.key = $method OR toLower(m.name) = toLower($method)
   OR any(a IN coalesce(m.aliases, []) WHERE toLower(a) = toLower($method))
MATCH (m)-[r:COMPARE]-(o:Entity)
RETURN o.name AS name, o.key AS key, o.label AS kind, r.papers AS papers, r.score AS score,
       r.paper_ids AS paper_ids
ORDER BY papers DESC, score DESC, key ASC
LIMIT $limit

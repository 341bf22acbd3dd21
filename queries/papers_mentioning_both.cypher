// Papers mentioning both X and Y (each given by key, name or alias, case-insensitive).
//
// Parameters:
//   $a      string  required        the first entity
//   $b      string  required        the second entity
//   $limit  int     default 50      how many rows
//
// Returns: paper_id, title, url, first_date, mentions_a, mentions_b
MATCH (x:Entity)
WHERE x.key = $a OR toLower(x.name) = toLower($a) OR any(s IN coalesce(x.aliases, []) WHERE toLower(s) = toLower($a))
MATCH (y:Entity)
WHERE y.key = $b OR toLower(y.name) = toLower($b) OR any(s IN coalesce(y.aliases, []) WHERE toLower(s) = toLower($b))
MATCH (x)<-[ma:MENTIONS]-(p:Paper)-[mb:MENTIONS]->(y)
WHERE x <> y
WITH p, sum(ma.count) AS mentions_a, sum(mb.count) AS mentions_b
RETURN p.paper_id AS paper_id, p.title AS title, p.url AS url, p.first_date AS first_date, mentions_a, mentions_b
ORDER BY first_date DESC, paper_id ASC
LIMIT $limit

// Rising entities across listing dates: share of papers listed on or after $since that mention the entity,
// against the share of papers listed before it. A paper listed on both sides counts on both.
//
// Parameters:
//   $since       string  required      ISO date YYYY-MM-DD splitting "before" from "recent"
//   $min_recent  int     default 1     minimum recent papers for an entity to be listed
//   $limit       int     default 20    how many rows
//
// Returns: name, key, kind, before, recent, share_before, share_recent, rise
MATCH (q:Paper)
WITH sum(CASE WHEN any(d IN q.dates WHERE d < $since) THEN 1 ELSE 0 END) AS n_before,
     sum(CASE WHEN any(d IN q.dates WHERE d >= $since) THEN 1 ELSE 0 END) AS n_recent
MATCH (p:Paper)-[:MENTIONS]->(e:Entity)
WITH n_before, n_recent, e,
     count(DISTINCT CASE WHEN any(d IN p.dates WHERE d < $since) THEN p END) AS before,
     count(DISTINCT CASE WHEN any(d IN p.dates WHERE d >= $since) THEN p END) AS recent
WHERE recent >= $min_recent
WITH e, before, recent,
     CASE WHEN n_before = 0 THEN 0.0 ELSE toFloat(before) / n_before END AS share_before,
     CASE WHEN n_recent = 0 THEN 0.0 ELSE toFloat(recent) / n_recent END AS share_recent
RETURN e.name AS name, e.key AS key, e.label AS kind, before, recent, share_before, share_recent,
       share_recent - share_before AS rise
ORDER BY rise DESC, recent DESC, key ASC
LIMIT $limit

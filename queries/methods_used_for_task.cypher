// Methods used for a task: the typed USED_FOR relations the abstracts state (method USED_FOR task), most papers first.
//
// Parameters:
//   $task   string  required        the task's key, name or any alias (case-insensitive)
//   $limit  int     default 20      how many rows
//
// Returns: method, key, papers, score, paper_ids
MATCH (t:Entity)
WHERE t.key = $task OR toLower(t.name) = toLower($task)
   OR any(a IN coalesce(t.aliases, []) WHERE toLower(a) = toLower($task))
MATCH (m:Method)-[r:USED_FOR]->(t)
RETURN m.name AS method, m.key AS key, r.papers AS papers, r.score AS score, r.paper_ids AS paper_ids
ORDER BY papers DESC, score DESC, key ASC
LIMIT $limit

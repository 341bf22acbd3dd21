// Methods used with a dataset: methods mentioned by the papers that mention the dataset.
//
// Parameters:
//   $dataset  string  required        the dataset's key, name or any alias (case-insensitive)
//   $limit    int     default 20      how many rows
//
// Returns: method, key, papers, paper_ids
MATCH (d:Dataset)
WHERE d.key = $dataset OR toLower(d.name) = toLower($dataset)
   OR any(a IN coalesce(d.aliases, []) WHERE toLower(a) = toLower($dataset))
MATCH (d)<-[:MENTIONS]-(p:Paper)-[:MENTIONS]->(m:Method)
WITH m, p ORDER BY p.paper_id
WITH m, collect(DISTINCT p.paper_id) AS paper_ids
RETURN m.name AS method, m.key AS key, size(paper_ids) AS papers, paper_ids
ORDER BY papers DESC, key ASC
LIMIT $limit

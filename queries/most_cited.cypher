// The most cited works: papers of the corpus and references, by the number of papers of the corpus citing them
// (local citations), with a paper's global citation count where its export gave one.
//
// Parameters:
//   $limit  int     default 20     how many rows
//   $works  string  default "all"  all | papers (papers of the corpus only) | references (outside works only)
//
// Returns: id, kind, name, year, doi, citing, cited_by
MATCH (p:Paper)-[:CITES]->(w)
WHERE ($works = "all" AND (w:Paper OR w:Reference)) OR ($works = "papers" AND w:Paper)
   OR ($works = "references" AND w:Reference)
WITH w, count(DISTINCT p) AS citing
RETURN w.id AS id, CASE WHEN w:Paper THEN "paper" ELSE "reference" END AS kind, w.name AS name, w.year AS year,
       w.doi AS doi, citing, w.cited_by AS cited_by
ORDER BY citing DESC, id ASC
LIMIT $limit

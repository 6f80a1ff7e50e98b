"""Who matters: the NetworkX reference metrics (:mod:`graph.ranking.reference`), their
array fast paths (:mod:`graph.ranking.fast`, :mod:`graph.ranking.centrality`) and the
rank correlation between metrics (:mod:`graph.ranking.correlation`)."""

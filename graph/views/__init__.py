"""What the app and the CLI show: people tables and subgraphs (:mod:`graph.views.people`),
the network drawing, charts, Cypher results and the query library. No streamlit here."""

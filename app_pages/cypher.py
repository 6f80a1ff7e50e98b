"""Cypher (analyst): read-only queries with parameters, a library of examples in
this store's dialect, results as a table, a CSV, and a network when nodes or
relationships come back."""


import streamlit as st

from app_pages import _common as c
from app_pages._network import assets_url, clickable_network
from graph.errors import QueryRefused, StoreError
from graph.views import query_library as ql
from graph.views.cypher_errors import dialect_hints, explain_error, missing_params, refusal_text
from graph.views.cypher_results import csv_bytes, display_frame, result_graph
from graph.views.drawing import network_html

V = c.versions()
store = c.store()
dialect = ql.dialect_key(store.dialect)
st.title("Cypher")
st.caption(
    f"Store: **{c.settings().describe()}** · dialect: **{store.dialect}** · read-only: the console refuses "
    f"writes · stops after {store.limits.cypher_timeout_s:g} s and {store.limits.max_rows:,} rows."
)

people = c.people(V) if c.counts(V).get("people", 0) else None
defaults = ql.default_params(people, c.hashtags(V)[:1] if people is not None else None)
titles = [ex.title for ex in ql.EXAMPLES]


def _load_example() -> None:
    query = ql.query_for(st.session_state["cy_example"], store.dialect)
    st.session_state["cy_query"] = query
    st.session_state["cy_params"] = ql.params_text(query, defaults)


def _fill_params() -> None:
    try:
        current = ql.parse_params(st.session_state["cy_params"])
    except ValueError:
        current = {}
    st.session_state["cy_params"] = ql.params_text(st.session_state["cy_query"], {**defaults, **current})


if "cy_query" not in st.session_state:
    st.session_state["cy_example"] = titles[0]
    _load_example()

e = st.columns([2, 3])
e[0].selectbox(
    "Example queries (for this store's dialect)", titles, key="cy_example", on_change=_load_example
)
note = next(ex.note for ex in ql.EXAMPLES if ex.title == st.session_state["cy_example"])
if note:
    e[1].caption(note)
st.text_area("Query", key="cy_query", height=170)
p = st.columns([4, 1])
p[0].text_area("Parameters (JSON)", key="cy_params", height=68, help='Values for $names, e.g. {"n": 10}.')
p[1].button("Fill parameters", on_click=_fill_params, key="cy_fill", help="Add the $names the query uses.")

def _failed(text: str, hint: str = "", raw: str = "") -> None:
    st.session_state.pop("cy_result", None)
    st.error(text)
    if hint:
        st.info(hint, icon=":material/lightbulb:")
    if raw and raw != text:
        with st.expander("What the database said"):
            st.code(raw, language=None)


if st.button("Run", type="primary", key="cy_run", icon=":material/play_arrow:"):
    query = st.session_state["cy_query"]
    try:
        params = ql.parse_params(st.session_state["cy_params"])
    except ValueError as exc:
        _failed(f"The parameters could not be read ({str(exc).removeprefix('parameters: ')}).",
                'Write them as a JSON object: {"n": 10, "handle": "ana"}.')
    else:
        if missing := missing_params(query, params):
            _failed(f"The query uses {', '.join('$' + m for m in missing)} but Parameters gives "
                    f"{'it' if len(missing) == 1 else 'them'} no value.",
                    "Add the value to Parameters (JSON), or press Fill parameters.")  # fmt: skip
        else:
            try:
                st.session_state["cy_result"] = store.cypher(query, params)
                st.session_state["cy_hints"] = dialect_hints(query, dialect)
            except QueryRefused as exc:
                _failed(refusal_text(str(exc)), "Queries here only read the graph; loads, ranking and the "
                        "shortlist change it through their pages.")  # fmt: skip
            except StoreError as exc:
                why = explain_error(str(exc), query, dialect=dialect, params=params)
                _failed(why.text, why.hint, why.raw)

if "cy_result" in st.session_state:
    result = st.session_state["cy_result"]
    df = result.frame
    capped = f" (stopped at the row cap of {result.max_rows:,})" if result.truncated else ""
    st.caption(f"{len(df):,} rows in {result.seconds * 1000:,.0f} ms{capped}")
    for hint in st.session_state.get("cy_hints", []):
        st.info(hint, icon=":material/lightbulb:")
    st.dataframe(display_frame(df), hide_index=True, height=min(38 + 35 * len(df), 420))
    st.download_button("Download CSV", csv_bytes(df), file_name="query.csv", mime="text/csv",
                       key="cy_csv", on_click="ignore", icon=":material/download:")  # fmt: skip
    found = result_graph(df)
    if found is not None:
        nodes, edges = found
        st.caption(f"Network of the result: {len(nodes):,} nodes, {len(edges):,} relationships.")
        page = network_html(nodes, edges, size_by="score", height=520, assets=assets_url())
        clickable_network(page, selected=None, height=540, key="cy_net")  # vis-network served once, not inlined

"""What the relationship pages share: the cached relationship tables and the person card."""

from __future__ import annotations

import json

import streamlit as st

from app_pages import _common as c
from graph.relations.card import card_markdown, us_line
from graph.views.relation_charts import hours_chart


@st.cache_resource(max_entries=2, show_spinner="Reading posts and relationships…")
def data(version: tuple):
    """:class:`graph.jobs.relations.RelationsData` for this data version (derived tables computed once)."""
    from graph.jobs.relations import read_relations

    return read_relations(c.store(), c.people(version))


@st.cache_data(max_entries=2, show_spinner=False)
def rising_pids(version: tuple) -> set[str]:
    from graph.jobs.relations import rising_voices

    return set(rising_voices(data(version), top=None)["pid"])


@st.cache_data(max_entries=64, show_spinner=False)
def person_card(version: tuple, pid: str, flags: tuple[str, ...]) -> dict:
    """:func:`graph.jobs.relations.person_card` for this data version (a rerun for the same
    person, e.g. a slider step on Explore, reuses it)."""
    from graph.jobs.relations import person_card as compute

    d = data(version)
    bad = d.flags.get(pid)
    return compute(d, pid, flags=[*flags, *(bad if bad is not None else [])])


def card(version: tuple, pid: str, flags: list[str]) -> None:
    """The person card: topics, mutual contacts, active hours, where they stand with us, export."""
    the_card = person_card(version, pid, tuple(flags))
    st.markdown("**Person card**")
    k1, k2, k3 = st.columns([1.1, 1.2, 1.4])
    with k1:
        st.markdown("**Talks about**")
        topics = the_card["talks_about"]
        st.markdown(" ".join(f"`{t['tag']}` ×{t['posts']}" for t in topics) if topics else "_nothing we know of_")
        st.markdown("**With us**")
        st.caption(us_line(the_card["us"]).replace(" · ", "  \n"))
        path = the_card["warm_path"]
        st.markdown("**Warm path** " + (" → ".join(f"@{h}" for h in path) if path else "_none within six hops_"))
        if the_card["closest_member"]:
            st.caption(f"Closest team member: **{the_card['closest_member']}**")
        new = [f for f in the_card["flags"] if f not in flags]  # the panel above shows the others
        if new:
            st.markdown(" ".join(f":red-badge[{f}]" if f.startswith("detractor") else f":orange-badge[{f}]"
                                 for f in new))  # fmt: skip
    with k2:
        st.markdown("**Hangs out with** (tied both ways)")
        friends = [{k: f[k] for k in ("handle", "mutual_follow", "relays", "mentions")} for f in the_card["hangs_out_with"]]
        if friends:
            st.dataframe(friends, hide_index=True, key="card_friends", width="stretch", column_config={
                "handle": st.column_config.TextColumn("handle", width="medium"),
                "mutual_follow": st.column_config.CheckboxColumn("mutual", width="small",
                                                                 help="They follow each other"),
                "relays": st.column_config.NumberColumn("relays", width="small", help="Relays, both ways"),
                "mentions": st.column_config.NumberColumn("ment.", width="small", help="Mentions, both ways"),
            })  # fmt: skip
        else:
            st.caption("Nobody is tied to them both ways.")
    with k3:
        st.altair_chart(hours_chart(the_card["active_hours"]))
        e = st.columns(2)
        e[0].download_button("Card (Markdown)", card_markdown(the_card), file_name=f"{the_card['handle']}.md",
                             mime="text/markdown", key="card_md", on_click="ignore", icon=":material/download:")  # fmt: skip
        e[1].download_button("Card (JSON)", json.dumps(the_card, indent=2, ensure_ascii=False),
                             file_name=f"{the_card['handle']}.json", mime="application/json", key="card_json",
                             on_click="ignore", icon=":material/download:")  # fmt: skip

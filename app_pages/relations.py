"""Relationships: our own accounts, who already knows us (and the warm path to everyone
else), introductions worth making, and rising voices. Wiring only: the logic lives in
graph.relations and graph.jobs.relations."""

import streamlit as st

from app_pages import _common as c
from app_pages import _relations as rel
from graph.errors import InfluenceError

V = c.versions()
st.title("Relationships")
st.caption(
    "Who already knows us, whom to introduce to whom, and who is rising — from the network itself. "
    "Our accounts are stored in the graph, so the whole team shares them."
)
people = c.ranked_people_or_stop(V)
names = c.handles(V)
d = rel.data(V)

# -- our accounts ----------------------------------------------------------------------------
st.subheader("Our accounts")
ours = d.ours
a = st.columns([1.3, 1.2, 1, 0.8, 2.2])
query = a[0].text_input("Account handle", key="rl_handle", placeholder="@beantherecoffee")
role = a[1].radio("Whose", ["brand", "member"], horizontal=True, key="rl_role",
                  format_func={"brand": "the brand's", "member": "a team member's"}.get)  # fmt: skip
member = a[2].text_input("Member name", key="rl_member", disabled=role == "brand", placeholder="ana")


def _write(action, *args, **kwargs) -> None:
    with c.write_lock():
        try:
            action(c.store(), *args, **kwargs)
        except InfluenceError as exc:
            st.session_state["rl_msg"] = ("error", str(exc))
            return
    c.bump("tracking")
    st.session_state["rl_msg"] = ("success", "Saved.")


if a[3].button("Add", key="rl_add", disabled=not query.strip(), type="primary"):
    from graph.jobs.relations import add_accounts

    _write(add_accounts, [query], role=role, member=member or None)
    st.rerun()
if ours.empty:
    a[4].info("No accounts of ours yet: add the brand's and each team member's, then see who knows us.")
else:
    shown = ours.assign(handle="@" + ours["handle"])[["handle", "our_role", "our_member"]]
    a[4].dataframe(shown, hide_index=True, key="rl_ours", height=38 + 35 * len(shown))
    gone = a[4].multiselect("Remove", ours["pid"].tolist(), format_func=lambda p: f"@{names.get(p, p)}", key="rl_remove")
    if a[4].button("Remove selected", key="rl_remove_btn", disabled=not gone):
        from graph.jobs.relations import remove_accounts

        _write(remove_accounts, [names.get(p, p) for p in gone])
        st.rerun()
if msg := st.session_state.pop("rl_msg", None):
    getattr(st, msg[0])(msg[1])
if ours.empty:
    st.stop()

# -- who knows us ------------------------------------------------------------------------------
st.subheader("Who already knows us")
st.caption(
    "Follows, relays and mentions of our accounts (mentions and their times come from the posts' texts), "
    "and the warm path: the shortest chain of people tied to each other (follow, relay or mention, any "
    "direction) from our nearest account, with the closest team member."
)


@st.cache_data(max_entries=2, show_spinner="Finding warm paths…")
def knows(V):
    from graph.jobs.relations import who_knows_us

    return who_knows_us(rel.data(V), top=None)


table = knows(V)
w = st.columns(4)
w[0].metric("Engage with us", f"{int((table[['follows_us', 'relays_us', 'mentions_us']].sum(axis=1) > 0).sum()):,}")
w[1].metric("One hop away", f"{int((table['warm_distance'] == 1).sum()):,}")
w[2].metric("Two hops away", f"{int((table['warm_distance'] == 2).sum()):,}")
w[3].metric("Out of reach", f"{int(table['warm_distance'].isna().sum()):,}")
cols = ["handle", "follows_us", "relays_us", "last_relay_us", "mentions_us", "last_mention_us", "warm_distance",
        "closest_member", "path", "score"]  # fmt: skip
st.dataframe(table[cols].head(500), hide_index=True, key="rl_knows", height=320,
             column_config={"score": st.column_config.NumberColumn(format="%.1f"),
                            "warm_distance": st.column_config.NumberColumn("hops", format="%d")})  # fmt: skip

# -- introductions ------------------------------------------------------------------------------
st.subheader("Introductions worth making")
i = st.columns([1.6, 1, 3])
among = i[0].radio("Among", ["auto", "tracked", "friends", "top"], horizontal=True, key="rl_among",
                   format_func={"auto": "auto", "tracked": "the shortlist (tracked)", "friends": "our friends",
                                "top": "top 300"}.get)  # fmt: skip
n_pairs = i[1].number_input("Pairs", 5, 500, 50, step=5, key="rl_pairs")


@st.cache_data(max_entries=8, show_spinner="Scoring pairs…")
def pairs(V, among, top):
    from graph.jobs.relations import introduction_candidates, introductions

    d = rel.data(V)
    cands, what = introduction_candidates(d, among)
    return introductions(d, cands, top=top), what, len(cands)


intro, what, n_cands = pairs(V, among, int(n_pairs))
i[2].caption(
    f"Pairing {n_cands:,} people ({what}): not yet connected, sharing a topic or community, ranked by "
    "Adamic–Adar (contacts in common, a contact who knows few people counting more). Bot-like accounts are left out."
)
st.dataframe(intro[["handle_a", "handle_b", "adamic_adar", "common", "reason"]], hide_index=True, key="rl_intro",
             height=300, column_config={"reason": st.column_config.TextColumn(width="large")})  # fmt: skip

# -- rising voices --------------------------------------------------------------------------------
st.subheader("Rising voices")
r = st.columns(4)
recent_days = r[0].number_input("Recent window (days)", 7, 365, 30, key="rl_recent")
before_days = r[1].number_input("Before it (days)", 7, 730, 90, key="rl_before")
min_volume = r[2].number_input("Minimum volume", 1, 1000, 5, key="rl_volume")
min_growth = r[3].number_input("Minimum growth", 1.0, 100.0, 2.0, step=0.5, key="rl_growth")


@st.cache_data(max_entries=8, show_spinner=False)
def risers(V, recent_days, before_days, min_volume, min_growth):
    from graph.jobs.relations import rising_voices

    return rising_voices(rel.data(V), top=100, recent_days=recent_days, before_days=before_days,
                         min_recent=min_volume, min_growth=min_growth)  # fmt: skip


up = risers(V, int(recent_days), int(before_days), int(min_volume), float(min_growth))
st.caption(
    f"{len(up):,} people whose relays and mentions received grew at least {min_growth:g}x in the last "
    f"{recent_days} days (ending at the latest event in the data), ordered by how far they exceed their earlier "
    "rate. A low followers percentile means found before they are expensive."
)
st.dataframe(up[["handle", "recent", "before", "growth", "excess", "pct_followers", "score"]], hide_index=True,
             key="rl_rising", height=300,
             column_config={"pct_followers": st.column_config.ProgressColumn("followers pct", min_value=0,
                                                                             max_value=100, format="%.0f"),
                            "score": st.column_config.NumberColumn(format="%.1f")})  # fmt: skip

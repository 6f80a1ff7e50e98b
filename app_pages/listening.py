"""Listening: what the niche talks about over time, who mentions us and what they ask,
and the detractors. Wiring only: the logic lives in graph.relations and graph.jobs.relations."""

import streamlit as st

from app_pages import _common as c
from app_pages import _relations as rel
from graph.relations.listening import topic_summary
from graph.views.relation_charts import trend_chart

V = c.versions()
st.title("Listening")
st.caption("Listen first: the niche's topics over time, the questions people ask us, and who is souring on us.")
people = c.ranked_people_or_stop(V)
d = rel.data(V)


@st.cache_data(max_entries=4, show_spinner="Counting hashtags…")
def trends(V, freq, top):
    from graph.jobs.relations import trends as topic_trends

    return topic_trends(rel.data(V), freq=freq, top=top), topic_summary(rel.data(V).posts, top=top)


t = st.columns([1, 1, 4])
freq = t[0].radio("Per", ["W", "MS"], index=1, horizontal=True, key="li_freq", format_func={"W": "week", "MS": "month"}.get)
top = t[1].number_input("Hashtags", 3, 20, 8, key="li_top")
frame, summary = trends(V, freq, int(top))
if frame.empty:
    st.info("This data has no posts with hashtags.")
else:
    left, right = st.columns([2.2, 1])
    left.altair_chart(trend_chart(frame))
    right.markdown("**Lately vs before** (share of hashtag uses, last 90 days)")
    right.dataframe(summary[["tag", "posts", "recent", "change"]], hide_index=True, key="li_summary",
                    column_config={"change": st.column_config.NumberColumn("change", format="%.2fx")})  # fmt: skip

if d.ours.empty:
    st.info("Declare our accounts on the **Relationships** page to see who mentions us and what they ask.")
    st.page_link("app_pages/relations.py", label="Go to Relationships", icon=":material/handshake:")
    st.stop()


@st.cache_data(max_entries=2, show_spinner="Reading what people say about us…")
def about_us(V):
    from graph.jobs.relations import detractors, questions

    return questions(rel.data(V), all_posts=True), detractors(rel.data(V))


posts, bad = about_us(V)
m = st.columns(4)
m[0].metric("Posts about us", f"{len(posts):,}")
m[1].metric("Questions", f"{int(posts['question'].sum()):,}")
m[2].metric("Negative", f"{int((posts['tone'] <= -0.05).sum()):,}")
m[3].metric("Detractors", f"{len(bad):,}")

q1, q2 = st.columns([1.6, 1])
with q1:
    st.subheader("Who mentions us, and what they ask")
    only_q = st.toggle("Questions only", True, key="li_questions")
    shown = posts[posts["question"]] if only_q else posts
    st.dataframe(shown[["created_at", "handle", "tone", "text"]], hide_index=True, key="li_posts", height=360,
                 column_config={"created_at": st.column_config.DatetimeColumn("when", format="YYYY-MM-DD", width=95),
                                "handle": st.column_config.TextColumn(width=120),
                                "text": st.column_config.TextColumn(width="large"),
                                "tone": st.column_config.NumberColumn(format="%+.2f", width=60,
                                                                      help="VADER compound, -1..1")})  # fmt: skip
with q2:
    st.subheader("Detractors")
    st.caption(
        "Influential people (score in the top half) whose posts about us are mostly negative, by VADER tone. "
        "Keep them close: answer, fix, follow up."
    )
    if bad.empty:
        st.success("No influential detractors.")
    else:
        st.dataframe(bad[["handle", "pct_score", "us_posts", "us_negative", "us_tone"]], hide_index=True,
                     key="li_detractors",
                     column_config={"handle": st.column_config.TextColumn(width=120),
                                    "pct_score": st.column_config.NumberColumn("score pct", format="%.0f", width=70),
                                    "us_posts": st.column_config.NumberColumn("posts", width=50),
                                    "us_negative": st.column_config.NumberColumn("negative", width=65),
                                    "us_tone": st.column_config.NumberColumn("tone", format="%+.2f", width=55)})  # fmt: skip

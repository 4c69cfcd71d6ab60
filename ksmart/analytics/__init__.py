"""Analytics: numbers and sentences from frames, the definitions of pipeline.md.

    metrics   summary, funnel, groupings, flags (stalled, stale, overdue, upcoming), filters (projects, events)
    changes   what changed between two versions' frames
    briefing  the changes as ranked sentences, in Korean or English
    counterparts  the counterpart agencies met (발주처): how often, when last, which projects

Pure functions over pandas frames given as arguments: no file, network or
database access. May import: the ground floor only (reference, countries,
settings, errors, frames, korean, the text catalogue); never store or ingest.
"""

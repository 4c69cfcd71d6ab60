"""Analytics: numbers and sentences from frames, the definitions of pipeline.md.

    metrics   summary, funnel, groupings, flags (stalled, stale, overdue, upcoming), filters
    changes   what changed between two versions' frames
    briefing  the changes as ranked sentences, in Korean or English
    followup  steering-committee directives: their figures, changes and sentences

Pure functions over pandas frames given as arguments: no file, network or
database access. May import: the ground floor only (reference, countries,
settings, errors, frames, korean, the text catalogue); never store or ingest.
"""

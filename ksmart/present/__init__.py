"""Present: what people look at, built from analytics' numbers; no Streamlit.

    palette     colours, shared by charts, map, deck and exports
    charts      plotly figures
    htmlcharts  the Overview's first charts in HTML and CSS
    mapdeck     the pydeck map (no basemap, nothing fetched)
    exporting   .xlsx exports of a version's frames
    deck/       the editable 16:9 PowerPoint of the steering committee

May import: analytics and the ground floor. Never the store, ingest, ui or cli:
frames and metrics come in as arguments.
"""

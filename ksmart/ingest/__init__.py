"""Ingest: workbook bytes in, validated frames and a report of every problem out.

    xlsx_safety   signature, encryption, macros, size, zip ratio, XML entities: before any parsing
    sheet_blocks  a sheet's XML cut into row blocks that calamine reads one at a time
    workbook      the sheets of an upload as raw rows (`read_workbook`, `Source`)
    stamp         the store and version an exported workbook was made from (its base)
    values        one parser per value type of workbook.md (numbers, dates, lists, …)
    validation    header detection, value parsing, every rule of workbook.md -> `ValidationResult`
    messages      reason codes: their level and message
    template      the empty workbook analysts fill in (drop-downs, comments)

May import: the ground floor (reference, countries, settings, errors, frames, korean,
the text catalogue). Never the store, analytics, present, ui or cli.
"""

"""Tools for tests, benchmarks and scripts, not part of the product.

    synthetic   seeded workbooks of any size and shape (tests, benchmarks, data/sample)
    deck_check  layout checks of a built deck (tests)

The dashboard and the CLI never import this package.
"""

"""Pricing's own tables. None yet: today a unit price is the catalog's list price (`Variant.price`).

B2B company price lists and quantity tiers will be tables here, each read by a price source in `selectors.SOURCES`.
"""

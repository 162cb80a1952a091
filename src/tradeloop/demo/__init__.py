"""The demo site: a fruit shop, a components supplier, a company buyer, private sellers and local businesses.

`tradeloop demo` loads it (idempotently) and starts the site; see docs/cli.md.
"""

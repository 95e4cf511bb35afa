"""The store's typed reads and writes for the app and reports, one module per aggregate; the read models live here.

Outside registry/ nobody builds a query: they call these functions and get rows or read models back.
"""

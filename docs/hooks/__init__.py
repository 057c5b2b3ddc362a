"""The parts of the site's MkDocs hook, one idea a module.

MkDocs loads `generate.py` by its file path; that module imports this folder as the package
`roadmap_site_hooks` (see its docstring), so the modules here import each other relatively.
"""
